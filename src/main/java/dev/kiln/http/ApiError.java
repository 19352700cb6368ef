package dev.kiln.http;

import static java.util.Objects.requireNonNull;

/**
 * A request that cannot be served, with the HTTP status that says why and a message a user can act
 * on. Each service renders it in its own fault body ({@link FaultStyle}); {@code type} is the
 * service's error name where it has one (Neutron's {@code NetworkNotFound}, Heat's {@code
 * EntityNotFound}).
 */
public final class ApiError extends RuntimeException {
  private final int status;
  private final String type;

  public ApiError(int status, String type, String message) {
    super(requireNonNull(message, "message is null"), null, false, false);
    this.status = status;
    this.type = requireNonNull(type, "type is null");
  }

  public int status() {
    return status;
  }

  public String type() {
    return type;
  }

  public static ApiError badRequest(String message) {
    return new ApiError(400, "HTTPBadRequest", message);
  }

  public static ApiError badRequest(String type, String message) {
    return new ApiError(400, type, message);
  }

  public static ApiError unauthorized(String message) {
    return new ApiError(401, "NotAuthenticated", message);
  }

  public static ApiError forbidden(String message) {
    return new ApiError(403, "Forbidden", message);
  }

  public static ApiError notFound(String type, String message) {
    return new ApiError(404, type, message);
  }

  public static ApiError conflict(String type, String message) {
    return new ApiError(409, type, message);
  }

  public static ApiError notAcceptable(String message) {
    return new ApiError(406, "NotAcceptable", message);
  }

  public static ApiError methodNotAllowed(String message) {
    return new ApiError(405, "HTTPMethodNotAllowed", message);
  }

  public static ApiError unsupportedMediaType(String message) {
    return new ApiError(415, "HTTPUnsupportedMediaType", message);
  }
}
