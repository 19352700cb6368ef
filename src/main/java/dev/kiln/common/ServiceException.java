package dev.kiln.common;

import static java.util.Objects.requireNonNull;

/**
 * A service refusing an operation, with a {@link Kind} that says which way (the API layer turns the
 * kind into a status code and the service's fault body) and, where the service's API has one, the
 * name of the error ({@code UserNotFound}, {@code NetworkInUse}).
 */
public final class ServiceException extends RuntimeException {
  /** The categories of refusal, each of which maps to one HTTP status. */
  public enum Kind {
    INVALID(400),
    UNAUTHENTICATED(401),
    FORBIDDEN(403),
    NOT_FOUND(404),
    CONFLICT(409),
    /** A condition of the request (such as an {@code If-Match} revision) does not hold. */
    PRECONDITION_FAILED(412),
    OVER_LIMIT(413),
    /** A service the operation needs is switched off (Cinder's backups with cinder-backup disabled). */
    UNAVAILABLE(503),
    /** Tried and failed further down (a hypervisor refusing), as the real service answers 500. */
    FAILED(500);

    private final int httpStatus;

    Kind(int httpStatus) {
      this.httpStatus = httpStatus;
    }

    public int httpStatus() {
      return httpStatus;
    }
  }

  private final Kind kind;
  private final String type;

  public ServiceException(Kind kind, String type, String message) {
    super(requireNonNull(message, "message is null"), null, false, false);
    this.kind = requireNonNull(kind, "kind is null");
    this.type = requireNonNull(type, "type is null");
  }

  public Kind kind() {
    return kind;
  }

  public String type() {
    return type;
  }

  public static ServiceException notFound(String type, String message) {
    return new ServiceException(Kind.NOT_FOUND, type, message);
  }

  public static ServiceException conflict(String type, String message) {
    return new ServiceException(Kind.CONFLICT, type, message);
  }

  public static ServiceException invalid(String type, String message) {
    return new ServiceException(Kind.INVALID, type, message);
  }

  /** An operation that was tried and failed downstream; the message says what failed and why. */
  public static ServiceException failed(String type, String message) {
    return new ServiceException(Kind.FAILED, type, message);
  }

  /** An operation that needs a service an admin has disabled; the message names the service. */
  public static ServiceException unavailable(String type, String message) {
    return new ServiceException(Kind.UNAVAILABLE, type, message);
  }

  public static ServiceException forbidden(String type, String message) {
    return new ServiceException(Kind.FORBIDDEN, type, message);
  }

  public static ServiceException unauthenticated(String message) {
    return new ServiceException(Kind.UNAUTHENTICATED, "Unauthorized", message);
  }
}
