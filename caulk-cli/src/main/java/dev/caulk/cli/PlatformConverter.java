package dev.caulk.cli;

import dev.caulk.spec.Platform;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses {@code os/arch[/variant]}. */
final class PlatformConverter implements ITypeConverter<Platform> {
  @Override
  public Platform convert(String value) {
    try {
      return Platform.parse(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
