package dev.kiln.orchestration.template.fn;

import static java.util.Objects.requireNonNull;

/**
 * A function or template refusing its input, with Heat's error type and message. The path (where
 * in the template) is added by whoever knows it; {@link #located()} says whether it was.
 */
public final class TemplateError extends RuntimeException {
  private final String type;
  private final boolean located;

  public TemplateError(String type, String message, boolean located) {
    super(requireNonNull(message, "message is null"), null, false, false);
    this.type = requireNonNull(type, "type is null");
    this.located = located;
  }

  /** A StackValidationFailed whose path is not known yet. */
  public static TemplateError invalid(String message) {
    return new TemplateError("StackValidationFailed", message, false);
  }

  public String type() {
    return type;
  }

  public boolean located() {
    return located;
  }
}
