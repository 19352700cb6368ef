package dev.kiln.orchestration.template;

import dev.kiln.common.ServiceException;
import dev.kiln.orchestration.template.fn.TemplateError;

/** Heat's template errors as Kiln's {@link ServiceException}s (all 400 unless noted). */
final class Errors {
  private Errors() {}

  static ServiceException invalid(String type, String message) {
    return new ServiceException(ServiceException.Kind.INVALID, type, message);
  }

  /** Heat's StackValidationFailed without a path. */
  static ServiceException validation(String message) {
    return invalid("StackValidationFailed", message);
  }

  /** Heat's StackValidationFailed: "error: path: message", each part only when there is one. */
  static ServiceException validation(String error, String path, String message) {
    StringBuilder b = new StringBuilder();
    if (error != null && !error.isEmpty()) {
      b.append(error).append(": ");
    }
    if (path != null && !path.isEmpty()) {
      b.append(path).append(": ");
    }
    return invalid("StackValidationFailed", b.append(message).toString());
  }

  /** What the API answers for a document that is not a template at all (a plain 400). */
  static ServiceException badRequest(String message) {
    return invalid("HTTPBadRequest", message);
  }

  static ServiceException version(String explanation) {
    return invalid("InvalidTemplateVersion", "The template version is invalid: " + explanation);
  }

  static ServiceException schema(String message) {
    return invalid("InvalidSchemaError", message);
  }

  static ServiceException of(TemplateError e) {
    return invalid(e.type(), e.getMessage());
  }

  /** A function error found at {@code path} (Heat's parse-time wrapping). */
  static ServiceException at(String path, TemplateError e) {
    return e.located() ? of(e) : validation(null, path, e.getMessage());
  }
}
