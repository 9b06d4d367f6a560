package dev.caulk.cli;

import dev.caulk.location.ImageLocation;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses image locations for picocli, so a malformed one is a usage error (exit 2). */
final class LocationConverter implements ITypeConverter<ImageLocation> {
  @Override
  public ImageLocation convert(String value) {
    try {
      return ImageLocation.parse(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
