package dev.kiln.orchestration.template.schema;

/**
 * Heat's support status of a type, property or attribute.
 *
 * @param status {@code SUPPORTED}, {@code DEPRECATED}, {@code HIDDEN}, {@code UNSUPPORTED}
 * @param version the Heat release it appeared in (e.g. {@code 5.0.0}), or null
 */
public record SupportStatus(String status, String version, String message) {
  public static final SupportStatus SUPPORTED = new SupportStatus("SUPPORTED", null, null);
}
