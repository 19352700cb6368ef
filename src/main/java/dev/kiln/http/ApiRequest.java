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
  private JsonNode body;

  ApiRequest(ServerRequest request, Caller caller, String baseUrl, ApiVersion microversion) {
    this.request = request;
    this.caller = caller;
    this.baseUrl = baseUrl;
    this.microversion = microversion;
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

  /** The JSON body; a missing, empty or malformed body is a 400. */
  public JsonNode body() {
    if (body == null) {
      if (!request.content().hasEntity()) {
        throw ApiError.badRequest("The request body is empty; a JSON object is expected.");
      }
      body = Json.parse(request.content().as(byte[].class));
    }
    return body;
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
