package dev.kiln.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * A request as handlers see it: path parameters, query, headers, the JSON body, the caller and the
 * negotiated microversion, with the HTTP server's types kept out of service code.
 */
public final class ApiRequest {
  private final ServerRequest request;
  private final Caller caller;
  private final String baseUrl;
  private final ApiVersion microversion;
  private final FaultStyle faultStyle;
  private JsonNode body;

  ApiRequest(
      ServerRequest request,
      Caller caller,
      String baseUrl,
      ApiVersion microversion,
      FaultStyle faultStyle) {
    this.request = request;
    this.caller = caller;
    this.baseUrl = baseUrl;
    this.microversion = microversion;
    this.faultStyle = faultStyle;
  }

  /** The caller; only absent on {@link Access#PUBLIC} routes called without a token. */
  public Optional<Caller> callerIfAny() {
    return Optional.ofNullable(caller);
  }

  /** The caller of an authenticated route. */
  public Caller caller() {
    if (caller == null) {
      throw ApiError.unauthorized("The request you have made requires authentication.");
    }
    return caller;
  }

  public String pathParam(String name) {
    return request.path().pathParameters().get(name);
  }

  /**
   * Whether the path ends in a slash. Routes answer both forms alike; a few services tell them
   * apart ({@code GET /volumes/} is a show with an empty id in Cinder, and a 404).
   */
  public boolean hasTrailingSlash() {
    return request.path().rawPath().endsWith("/");
  }

  /** The path as the client sent it, still percent-encoded (what request signatures cover). */
  public String rawPath() {
    return request.prologue().uriPath().rawPath();
  }

  /** The query string as the client sent it, still percent-encoded; empty when there is none. */
  public String rawQuery() {
    String raw = request.query().rawValue();
    return raw == null ? "" : raw;
  }

  /**
   * A form body ({@code application/x-www-form-urlencoded}) as text, or empty when the body is of
   * another type or absent: signed OAuth requests cover such a body's parameters.
   */
  public String formBody() {
    Optional<String> type = header("Content-Type");
    if (!hasBody() || type.isEmpty()
        || !type.get().split(";", 2)[0].strip().equalsIgnoreCase("application/x-www-form-urlencoded")) {
      return "";
    }
    return new String(readCapped(), java.nio.charset.StandardCharsets.UTF_8);
  }

  public Optional<String> query(String name) {
    return request.query().first(name).asOptional();
  }

  public List<String> queryAll(String name) {
    return request.query().contains(name) ? request.query().all(name) : List.of();
  }

  public Iterable<String> queryNames() {
    return request.query().names();
  }

  public Optional<String> header(String name) {
    return request.headers().first(HeaderNames.create(name));
  }

  /** The base URL clients reach Kiln at, for links ({@code http://127.0.0.1:5000}). */
  public String baseUrl() {
    return baseUrl;
  }

  /** The negotiated microversion; {@link ApiVersion#NONE} for services without microversions. */
  public ApiVersion microversion() {
    return microversion;
  }

  /**
   * The largest JSON body any API takes, as oslo.middleware's {@code max_request_body_size} caps
   * every OpenStack JSON API (112 KiB); image data ({@link #bodyStream()}) is not capped.
   */
  public static final int MAX_JSON_BODY_BYTES = 114_688;

  /**
   * The JSON body; a missing, empty or malformed body is a 400, one of another media type a 415
   * (Keystone: 400, as Keystone answers it), one over {@link #MAX_JSON_BODY_BYTES} a 413.
   */
  public JsonNode body() {
    if (body == null) {
      if (!request.content().hasEntity()) {
        throw ApiError.badRequest("The request body is empty; a JSON object is expected.");
      }
      requireJsonContentType();
      body = Json.parse(readCapped());
    }
    return body;
  }

  /** A body without a Content-Type is taken as JSON; one that names another type is refused. */
  private void requireJsonContentType() {
    Optional<String> type = header("Content-Type");
    if (type.isEmpty() || isJson(type.get())) {
      return;
    }
    if (faultStyle == FaultStyle.KEYSTONE) {
      throw ApiError.badRequest(
          "ValidationError",
          "Expecting to find application/json in Content-Type header; got '" + type.get() + "'.");
    }
    throw ApiError.unsupportedMediaType(
        "Unsupported Content-Type '" + type.get() + "': this API takes application/json.");
  }

  /** application/json, and the JSON types some APIs name (Glance's json-patch types, +json). */
  private static boolean isJson(String contentType) {
    String media = contentType.split(";", 2)[0].strip().toLowerCase(java.util.Locale.ROOT);
    return media.equals("application/json") || media.endsWith("+json") || media.endsWith("-json-patch")
        || media.equals("application/json-patch");
  }

  /** Reads the body, refusing it with 413 as soon as it is known to be over the cap. */
  private byte[] readCapped() {
    Optional<String> length = header("Content-Length");
    // A body of a declared length is read into an array of that length; read up to the cap, each
    // small body took a 16 KiB buffer (a fifth of what a port create allocated).
    int readAtMost = MAX_JSON_BODY_BYTES + 1;
    if (length.isPresent()) {
      try {
        long declared = Long.parseLong(length.get().strip());
        if (declared > MAX_JSON_BODY_BYTES) {
          throw tooLarge();
        }
        if (declared >= 0) {
          readAtMost = (int) declared;
        }
      } catch (NumberFormatException e) {
        throw ApiError.badRequest("The Content-Length header is not a number.");
      }
    }
    try (InputStream in = request.content().inputStream()) {
      byte[] data = in.readNBytes(readAtMost);
      if (data.length > MAX_JSON_BODY_BYTES) {
        throw tooLarge();
      }
      return data;
    } catch (java.io.IOException e) {
      throw ApiError.badRequest("Unreadable request body: " + e.getMessage());
    }
  }

  private static ApiError tooLarge() {
    return new ApiError(
        413,
        "RequestEntityTooLarge",
        "Request is too large: the body is over " + MAX_JSON_BODY_BYTES + " bytes, the most this API"
            + " takes.");
  }

  /** Whether the request carries a body. */
  public boolean hasBody() {
    return request.content().hasEntity();
  }

  /**
   * The raw body as it arrives, for handlers that take bytes rather than JSON (an image upload), so
   * a large body never has to fit in memory. Read it at most once, and not together with {@link
   * #body()}.
   */
  public InputStream bodyStream() {
    return request.content().inputStream();
  }
}
