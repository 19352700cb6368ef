package dev.kiln.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.common.ServiceException;
import dev.kiln.store.StoreException;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers one service's routes on the HTTP server and does, for every one of them, what every
 * OpenStack API does before and after its handler: authenticate the token, check the route's
 * {@link Access}, negotiate the microversion, write the JSON answer, and turn any failure into the
 * service's own fault body. A handler therefore only translates between JSON and service calls.
 */
public final class ApiRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(ApiRoutes.class);
  private static final String AUTH_TOKEN = "X-Auth-Token";
  /** How long a client told the service is saturated waits before it asks again. */
  private static final String RETRY_AFTER_SECONDS = "1";

  private final HttpRules rules;
  private final ServiceContext service;

  public ApiRoutes(HttpRules rules, ServiceContext service) {
    this.rules = requireNonNull(rules, "rules is null");
    this.service = requireNonNull(service, "service is null");
  }

  public ApiRoutes get(String path, Access access, ApiHandler handler) {
    return route(Method.GET, path, access, handler);
  }

  public ApiRoutes head(String path, Access access, ApiHandler handler) {
    return route(Method.HEAD, path, access, handler);
  }

  public ApiRoutes post(String path, Access access, ApiHandler handler) {
    return route(Method.POST, path, access, handler);
  }

  public ApiRoutes put(String path, Access access, ApiHandler handler) {
    return route(Method.PUT, path, access, handler);
  }

  public ApiRoutes patch(String path, Access access, ApiHandler handler) {
    return route(Method.PATCH, path, access, handler);
  }

  public ApiRoutes delete(String path, Access access, ApiHandler handler) {
    return route(Method.DELETE, path, access, handler);
  }

  /**
   * Answers every request no route matched with the service's 404 fault, after the token check,
   * so an unauthenticated caller learns nothing about which paths exist.
   */
  public void unmatchedIsNotFound() {
    rules.any(
        adapt(
            Access.AUTHENTICATED,
            request -> {
              throw ApiError.notFound("HTTPNotFound", "The resource could not be found.");
            }));
  }

  private ApiRoutes route(Method method, String path, Access access, ApiHandler handler) {
    Handler adapted = adapt(access, handler);
    // OpenStack clients add and drop trailing slashes freely; both forms reach the same route.
    java.util.Optional<io.helidon.http.PathMatcher> matcher = TemplatePath.of(path);
    if (matcher.isPresent()) {
      rules.route(method, matcher.get(), adapted);
      return this;
    }
    rules.route(method, path, adapted);
    String other = path.endsWith("/") ? path.substring(0, path.length() - 1) : path + "/";
    if (!other.isEmpty()) {
      rules.route(method, other, adapted);
    }
    return this;
  }

  private Handler adapt(Access access, ApiHandler handler) {
    return (req, res) -> {
      Map<String, String> versionHeaders = Map.of();
      try {
        Caller caller = authenticate(req, access);
        ApiVersion version;
        if (access == Access.PUBLIC || service.microversions() == null) {
          // Version discovery must answer whatever version a client asks for: that is how the
          // client learns the range (cinderclient asks the root with its own newest version).
          version = service.microversions() == null ? ApiVersion.NONE : service.microversions().min();
        } else {
          version = negotiate(req);
          versionHeaders = service.microversions().responseHeaders(version);
        }
        ApiResponse answer =
            handler.handle(new ApiRequest(req, caller, baseUrl(req), version, service.faultStyle()));
        versionHeaders.forEach(res::header);
        if (answer.raw() != null) {
          writeRaw(req, res, answer);
        } else {
          write(res, answer.status(), answer.headers(), answer.body());
        }
      } catch (ApiError e) {
        writeFault(req, res, e, versionHeaders);
      } catch (ServiceException e) {
        writeFault(req, res, new ApiError(e.kind().httpStatus(), e.type(), e.getMessage()), versionHeaders);
      } catch (RuntimeException e) {
        if (e instanceof StoreException store && store.kind() == StoreException.Kind.UNAVAILABLE) {
          // The database is saturated, not broken: say so, and when to come back, as OpenStack's
          // services answer an overload (a 503 with Retry-After), rather than an internal error.
          LOG.warn("No database connection free in time for {} {}: answered 503",
              req.prologue().method().text(), req.path().path());
          res.header("Retry-After", RETRY_AFTER_SECONDS);
          writeFault(req, res, new ApiError(503, "ServiceUnavailable",
              "The service is too busy to take this request now: no database connection came free"
                  + " in time. Try again in " + RETRY_AFTER_SECONDS + " second(s)."), versionHeaders);
          return;
        }
        LOG.error("Unexpected failure serving {} {}", req.prologue().method().text(),
            req.path().path(), e);
        writeFault(
            req,
            res,
            new ApiError(
                500,
                "InternalError",
                "An unexpected error prevented the request from being fulfilled; the server log"
                    + " has the details under this request's id."),
            versionHeaders);
      }
    };
  }

  private Caller authenticate(ServerRequest req, Access access) {
    Optional<String> token = req.headers().first(HeaderNames.create(AUTH_TOKEN));
    Caller caller = token.flatMap(service.callers()::resolve).orElse(null);
    boolean allowed =
        caller == null
            || caller.allowed().unrestricted()
            || caller.allowed().allow(service.mount(), req.prologue().method().text(), req.prologue().uriPath().rawPath());
    if (access == Access.PUBLIC) {
      // A public route (a version document, a token issue) serves anyone: a token whose access
      // rules do not reach it is answered as if none had been sent.
      return allowed ? caller : null;
    }
    if (!allowed) {
      throw ApiError.unauthorized(
          "Token authorization failed: the token's application credential has access rules, and"
              + " none of them allows " + req.prologue().method().text() + " "
              + below(req.prologue().uriPath().rawPath()) + " on this service"
              + (service.mount() == null ? "." : " (" + String.join(", ", service.mount().types().stream().sorted().toList()) + ")."));
    }
    if (caller == null) {
      throw ApiError.unauthorized(
          token.isEmpty()
              ? "The request you have made requires authentication: send a token in the"
                  + " X-Auth-Token header (get one with 'openstack token issue')."
              : "The token in X-Auth-Token is not valid: it is unknown, revoked or expired."
                  + " Authenticate again to get a new one.");
    }
    if (access == Access.ADMIN && !caller.isAdmin()) {
      throw ApiError.forbidden(
          "You are not authorized to perform the requested action: it needs the admin role.");
    }
    return caller;
  }

  private String below(String path) {
    return service.mount() == null ? path : service.mount().below(path);
  }

  private ApiVersion negotiate(ServerRequest req) {
    Microversions microversions = service.microversions();
    if (microversions == null) {
      return ApiVersion.NONE;
    }
    Optional<String> legacy =
        microversions.legacyHeader() == null
            ? Optional.empty()
            : req.headers().first(HeaderNames.create(microversions.legacyHeader()));
    return microversions.negotiate(
        req.headers().first(HeaderNames.create(Microversions.HEADER)), legacy);
  }

  private void writeFault(ServerRequest req, ServerResponse res, ApiError error, Map<String, String> headers) {
    headers.forEach(res::header);
    if (error.status() == 401) {
      res.header("WWW-Authenticate", "Keystone uri=\"" + baseUrl(req) + "/identity\"");
    }
    write(res, error.status(), Map.of(), service.faultStyle().render(error));
  }

  private String baseUrl(ServerRequest req) {
    return service.publicUrl() != null
        ? service.publicUrl()
        : req.requestedUri().scheme() + "://" + req.authority();
  }

  /**
   * Streams a raw body. Once the first bytes are out the status is sent, so a failure after that
   * can only be logged (the client sees the connection end early).
   */
  private static void writeRaw(ServerRequest req, ServerResponse res, ApiResponse answer) {
    ApiResponse.RawBody raw = answer.raw();
    try (InputStream data = raw.data()) {
      res.status(answer.status());
      answer.headers().forEach(res::header);
      res.header("Content-Type", raw.contentType());
      if (raw.length() >= 0) {
        res.contentLength(raw.length());
      }
      try (OutputStream out = res.outputStream()) {
        data.transferTo(out);
      }
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("Streaming the answer to {} {} failed: {}", req.prologue().method().text(),
          req.path().path(), e.toString());
    }
  }

  private static void write(
      ServerResponse res, int status, Map<String, String> headers, JsonNode body) {
    res.status(status);
    headers.forEach(res::header);
    if (body == null) {
      res.send();
    } else {
      res.header("Content-Type", "application/json");
      res.send(Json.bytes(body));
    }
  }
}
