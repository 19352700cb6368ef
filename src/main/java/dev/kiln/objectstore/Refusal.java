package dev.kiln.objectstore;

import static java.util.Objects.requireNonNull;

/**
 * Object Storage refusing a request. Swift answers with more distinct statuses than the other
 * services (411, 416, 422, 304), so it has its own closed set of reasons; the API turns each into
 * its status and Swift's plain-text body.
 */
public final class Refusal extends RuntimeException {
  /** Why a request is refused; each maps to one HTTP status. */
  public enum Kind {
    BAD_REQUEST(400),
    UNAUTHORIZED(401),
    FORBIDDEN(403),
    NOT_FOUND(404),
    METHOD_NOT_ALLOWED(405),
    NOT_ACCEPTABLE(406),
    CONFLICT(409),
    LENGTH_REQUIRED(411),
    PRECONDITION_FAILED(412),
    TOO_LARGE(413),
    RANGE_NOT_SATISFIABLE(416),
    UNPROCESSABLE(422),
    /** A conditional GET or HEAD whose condition says the client's copy is current. */
    NOT_MODIFIED(304);

    private final int status;

    Kind(int status) {
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  private final Kind kind;

  public Refusal(Kind kind, String message) {
    super(requireNonNull(message, "message is null"), null, false, false);
    this.kind = requireNonNull(kind, "kind is null");
  }

  public Kind kind() {
    return kind;
  }

  public static Refusal badRequest(String message) {
    return new Refusal(Kind.BAD_REQUEST, message);
  }

  public static Refusal notFound(String message) {
    return new Refusal(Kind.NOT_FOUND, message);
  }

  public static Refusal conflict(String message) {
    return new Refusal(Kind.CONFLICT, message);
  }

  public static Refusal preconditionFailed(String message) {
    return new Refusal(Kind.PRECONDITION_FAILED, message);
  }
}
