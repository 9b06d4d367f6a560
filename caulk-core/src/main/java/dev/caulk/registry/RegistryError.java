package dev.caulk.registry;

/**
 * One entry of a distribution-spec error body, {@code {"errors":[{"code","message","detail"}]}}
 * (spec.md, "Error Codes").
 *
 * @param code e.g. {@code MANIFEST_UNKNOWN}, {@code UNAUTHORIZED}, {@code TOOMANYREQUESTS}
 * @param message the registry's human message (may be empty)
 * @param detail the {@code detail} value as compact JSON text, or null
 */
public record RegistryError(String code, String message, String detail) {}
