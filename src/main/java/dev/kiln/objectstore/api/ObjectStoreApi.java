package dev.kiln.objectstore.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.http.Caller;
import dev.kiln.http.CallerResolver;
import dev.kiln.http.Json;
import dev.kiln.http.RequestObserver;
import dev.kiln.http.ServiceMount;
import dev.kiln.objectstore.Account;
import dev.kiln.objectstore.ObjectStoreService;
import dev.kiln.objectstore.Refusal;
import dev.kiln.objectstore.SwiftLimits;
import dev.kiln.objectstore.TempUrls;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Swift v1 at {@code /object-store}: {@code /info}, and accounts, containers and objects below
 * {@code /v1/AUTH_<project id>}. Swift's API is headers and bytes rather than JSON, with plain-text
 * error bodies and temp URLs that stand in for a token, so it has its own request cycle here
 * instead of the JSON services' {@code ApiRoutes}: authenticate (token or temp URL), check the
 * account is the caller's, hand over to the account, container or object handler, write the answer.
 */
public final class ObjectStoreApi implements HttpService {
  public static final String PREFIX = ObjectStoreService.PATH_PREFIX;
  /** What an application credential's access rule names this service by, and its paths' root. */
  private static final ServiceMount MOUNT = ServiceMount.of(PREFIX, "object-store");
  private static final Logger LOG = LoggerFactory.getLogger(ObjectStoreApi.class);
  private static final String RETRY_AFTER_SECONDS = "1";

  private final CallerResolver callers;
  private final ObjectStoreService service;
  private final AccountRequests accounts;
  private final ContainerRequests containers;
  private final ObjectRequests objects;

  public ObjectStoreApi(CallerResolver callers, ObjectStoreService service) {
    this.callers = requireNonNull(callers, "callers is null");
    this.service = requireNonNull(service, "service is null");
    this.accounts = new AccountRequests(service.accounts());
    this.containers = new ContainerRequests(service.containers());
    this.objects = new ObjectRequests(service.objects());
  }

  @Override
  public void routing(HttpRules rules) {
    rules.any(this::handle);
  }

  private void handle(ServerRequest req, ServerResponse res) {
    String method = req.prologue().method().text();
    boolean head = method.equals("HEAD");
    res.header("X-Trans-Id", transId(res.headers().first(HeaderNames.create(RequestObserver.REQUEST_ID_HEADER)).orElse("")));
    try {
      String raw = req.prologue().uriPath().rawPath();
      String below = raw.startsWith(PREFIX) ? raw.substring(PREFIX.length()) : raw;
      if (below.equals(SwiftPath.HEALTHCHECK)) {
        write(res, Answer.text(200, "text/plain; charset=UTF-8", "OK"), head);
        return;
      }
      SwiftPath path = SwiftPath.parse(below);
      Answer answer = path.info() ? info(method) : serve(req, method, path);
      write(res, answer, head);
    } catch (Refusal e) {
      write(res, error(e.kind().status(), e.getMessage()), head);
    } catch (ObjectRequests.RangeRefusal e) {
      write(res, error(416, e.getMessage()).header("Content-Range", "bytes */" + e.size), head);
    } catch (RuntimeException e) {
      if (ObjectStoreService.databaseBusy(e)) {
        // The database is saturated, not broken: a 503 that says when to come back, as Swift's
        // proxy answers an overload and as Kiln's other services do.
        LOG.warn("No database connection free in time for {} {}: answered 503", method, req.path().rawPath());
        write(res, error(503, "The service is too busy to take this request now: no database connection"
            + " came free in time. Try again in " + RETRY_AFTER_SECONDS + " second(s).")
            .header("Retry-After", RETRY_AFTER_SECONDS), head);
        return;
      }
      LOG.error("Unexpected failure serving {} {}", method, req.path().rawPath(), e);
      write(res, error(500, "An unexpected error prevented the request from being fulfilled; the server log"
          + " has the details under this request's id."), head);
    }
  }

  /**
   * Swift's transaction id ({@code tx} + 21 hex digits + {@code -} + the time in 10 hex digits,
   * the shape clients and Tempest check), made from Kiln's request id so log lines still match.
   */
  static String transId(String requestId) {
    String hex = requestId.replace("req-", "").replace("-", "");
    hex = (hex + "0".repeat(21)).substring(0, 21);
    return "tx" + hex + "-" + String.format("%010x", Instant.now().getEpochSecond());
  }

  private Answer serve(ServerRequest req, String method, SwiftPath path) {
    String account = path.account();
    if (SwiftLimits.utf8Length(account) > SwiftLimits.MAX_ACCOUNT_NAME_LENGTH) {
      throw Refusal.badRequest("Account name is longer than " + SwiftLimits.MAX_ACCOUNT_NAME_LENGTH + " bytes.");
    }
    TempUrls.Params temp = new TempUrls.Params(
        query(req, "temp_url_sig"), query(req, "temp_url_expires"), query(req, "temp_url_prefix"));
    if (temp.signature() != null || temp.expires() != null) {
      if (!path.isObject() || !service.tempUrls().allows(method, account, path.container(), path.object(), temp)) {
        throw new Refusal(Refusal.Kind.UNAUTHORIZED, "401 Unauthorized: the temp URL is not valid, or has expired.\n");
      }
      Answer answer = dispatch(new SwiftRequest(req, method, path, true, false, false));
      if ((method.equals("GET") || method.equals("HEAD")) && answer.status() / 100 == 2) {
        answer.header("Content-Disposition", disposition(req, path.object()));
        // An expiry past year 9999 has no HTTP date; such an answer goes without Expires.
        long expires = parseLong(temp.expires());
        if (expires > 0 && expires < 253_402_300_800L) {
          answer.header("Expires", DateTimeFormatter.RFC_1123_DATE_TIME.format(
              Instant.ofEpochSecond(expires).atOffset(ZoneOffset.UTC)));
        }
      }
      return answer;
    }
    Optional<Caller> caller = authenticate(req);
    boolean reseller = caller.isPresent() && caller.get().roles().contains(SwiftRequest.RESELLER_ROLE);
    boolean owner = caller.isPresent() && (caller.get().isAdmin() || reseller
        || (caller.get().projectId() != null && account.equals(Account.of(caller.get().projectId()))));
    if (!owner) {
      if (Account.projectOf(account) != null && ContainerAcls.allow(service.containers(), req, method, path, caller)) {
        return dispatch(new SwiftRequest(req, method, path, false, true, false));
      }
      if (caller.isEmpty()) {
        throw new Refusal(Refusal.Kind.UNAUTHORIZED, "This request needs a token in X-Auth-Token (or a temp URL).");
      }
      throw new Refusal(Refusal.Kind.FORBIDDEN,
          "This token's project may use only its own account, " + (caller.get().projectId() == null
              ? "and it is scoped to none." : Account.of(caller.get().projectId()) + ",")
              + " and no container ACL lets it in here.");
    }
    if (Account.projectOf(account) == null) {
      throw Refusal.notFound("Accounts are named AUTH_<project id>.");
    }
    return dispatch(new SwiftRequest(req, method, path, false, false, reseller));
  }

  private Answer dispatch(SwiftRequest r) {
    SwiftPath path = r.path();
    if (path.isObject()) {
      return objects.handle(r);
    }
    return path.isContainer() ? containers.handle(r) : accounts.handle(r);
  }

  /** The token's caller; empty without a token (a public container may still let it in); 401 for a bad one. */
  private Optional<Caller> authenticate(ServerRequest req) {
    Optional<String> token = req.headers().first(HeaderNames.create("X-Auth-Token"))
        .or(() -> req.headers().first(HeaderNames.create("X-Storage-Token")));
    if (token.isEmpty()) {
      return Optional.empty();
    }
    Caller caller = token.flatMap(callers::resolve).orElseThrow(() -> new Refusal(Refusal.Kind.UNAUTHORIZED,
        "The token in X-Auth-Token is not valid: it is unknown, revoked or expired."));
    String method = req.prologue().method().text();
    String path = req.prologue().uriPath().rawPath();
    if (!caller.allowed().allow(MOUNT, method, path)) {
      throw new Refusal(Refusal.Kind.UNAUTHORIZED, "Token authorization failed: the token's application credential"
          + " has access rules, and none of them allows " + method + " " + MOUNT.below(path) + " on object-store.");
    }
    return Optional.of(caller);
  }

  /** Swift's capabilities document, which clients read to learn the limits and the temp URL digests. */
  private static Answer info(String method) {
    if (!method.equals("GET") && !method.equals("HEAD")) {
      throw new Refusal(Refusal.Kind.METHOD_NOT_ALLOWED, "/info takes GET and HEAD.");
    }
    ObjectNode body = Json.object();
    ObjectNode swift = body.putObject("swift");
    swift.put("version", "kiln");
    swift.put("max_file_size", SwiftLimits.MAX_FILE_SIZE);
    swift.put("max_meta_name_length", SwiftLimits.MAX_META_NAME_LENGTH);
    swift.put("max_meta_value_length", SwiftLimits.MAX_META_VALUE_LENGTH);
    swift.put("max_meta_count", SwiftLimits.MAX_META_COUNT);
    swift.put("max_meta_overall_size", SwiftLimits.MAX_META_OVERALL_SIZE);
    swift.put("max_header_size", SwiftLimits.MAX_HEADER_SIZE);
    swift.put("max_object_name_length", SwiftLimits.MAX_OBJECT_NAME_LENGTH);
    swift.put("max_container_name_length", SwiftLimits.MAX_CONTAINER_NAME_LENGTH);
    swift.put("max_account_name_length", SwiftLimits.MAX_ACCOUNT_NAME_LENGTH);
    swift.put("container_listing_limit", SwiftLimits.LISTING_LIMIT);
    swift.put("account_listing_limit", SwiftLimits.LISTING_LIMIT);
    swift.put("account_autocreate", true);
    swift.put("allow_account_management", false);
    swift.putArray("policies").addObject().put("name", "Policy-0").put("default", true);
    body.putObject("account_quotas");
    ObjectNode tempurl = body.putObject("tempurl");
    TempUrls.METHODS.stream().sorted().forEach(tempurl.putArray("methods")::add);
    TempUrls.DIGESTS.forEach(tempurl.putArray("allowed_digests")::add);
    tempurl.putArray("outgoing_remove_headers").add("x-object-meta-*");
    tempurl.putArray("outgoing_allow_headers").add("x-object-meta-public-*");
    return Answer.text(200, "application/json; charset=utf-8", new String(Json.bytes(body), StandardCharsets.UTF_8));
  }

  private static String disposition(ServerRequest req, String object) {
    String filename = query(req, "filename");
    boolean inline = req.query().contains("inline");
    if (inline && filename == null) {
      return "inline";
    }
    String name = filename != null ? filename : object.substring(object.lastIndexOf('/', object.length() - 2) + 1);
    if (name.endsWith("/")) {
      name = name.substring(0, name.length() - 1);
    }
    String quoted = name.replace("\\", "\\\\").replace("\"", "\\\"").replaceAll("[\\r\\n]", "");
    return (inline ? "inline" : "attachment") + "; filename=\"" + quoted + "\"; filename*=UTF-8''"
        + ObjectRequests.encode(name).replace("/", "%2F");
  }

  private static String query(ServerRequest req, String name) {
    return req.query().contains(name) ? req.query().first(name).orElse("") : null;
  }

  private static long parseLong(String s) {
    try {
      return Long.parseLong(s.strip());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** Swift's error answer: plain text naming what is wrong. */
  private static Answer error(int status, String message) {
    return status == 304 ? Answer.of(304) : Answer.text(status, "text/plain; charset=UTF-8", message);
  }

  private static void write(ServerResponse res, Answer answer, boolean head) {
    res.status(Status.create(answer.status()));
    answer.headers().forEach(res::header);
    if (!answer.headers().containsKey("Content-Type")) {
      // Swift names a type on every answer, 204s included; clients (and Tempest) expect one.
      res.header("Content-Type", "text/html; charset=UTF-8");
    }
    boolean noEntity = answer.status() == 204 || answer.status() == 304;
    try {
      if (answer.stream() != null) {
        try (InputStream data = answer.stream()) {
          res.header("Content-Length", Long.toString(answer.streamLength()));
          if (head) {
            res.send();
            return;
          }
          try (OutputStream out = res.outputStream()) {
            data.transferTo(out);
          }
        }
        return;
      }
      byte[] bytes = answer.bytes() == null || noEntity ? new byte[0] : answer.bytes();
      if (head) {
        if (!noEntity) {
          res.header("Content-Length", Integer.toString(bytes.length));
        }
        res.send();
      } else {
        res.send(bytes);
      }
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("Streaming an Object Storage answer failed: {}", e.toString());
    }
  }
}
