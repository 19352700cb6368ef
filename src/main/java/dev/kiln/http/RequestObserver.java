package dev.kiln.http;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.IdGenerator;
import dev.kiln.store.StatementCount;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Wraps every request: gives it an {@code x-openstack-request-id}, puts that id in the logging
 * context so every log line of the request carries it, logs one access line, and times the
 * request per service and route for {@code /metrics}, with the SQL statements it ran.
 *
 * <p>The meters of each (service, method, route, status) are looked up once and kept: building
 * and registering them again on every request (tags sorted, an id built, the registry's map
 * searched) was a measurable part of a cheap request. At most {@value #MAX_KEPT} are kept; routes
 * are a fixed set, so only odd methods or statuses could ever reach that, and past it a request
 * registers its meters the slow way.
 */
public final class RequestObserver implements Filter {
  public static final String REQUEST_ID_HEADER = "x-openstack-request-id";
  /** Nova's own name for the request id, which it sends as well (Tempest reads it). */
  public static final String COMPUTE_REQUEST_ID_HEADER = "x-compute-request-id";
  private static final Logger ACCESS = LoggerFactory.getLogger("kiln.access");

  private static final int MAX_KEPT = 4_096;

  private final IdGenerator ids;
  private final MeterRegistry registry;
  private final ConcurrentHashMap<Key, Meters> meters = new ConcurrentHashMap<>();

  /** What the meters of a request are kept by. */
  private record Key(String service, String method, String route, int status) {}

  /** A request's duration, and the statements it ran. */
  private record Meters(Timer duration, DistributionSummary statements) {}

  public RequestObserver(IdGenerator ids, MeterRegistry registry) {
    this.ids = requireNonNull(ids, "ids is null");
    this.registry = requireNonNull(registry, "registry is null");
  }

  @Override
  public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
    String requestId = "req-" + ids.uuid();
    long start = System.nanoTime();
    res.header(REQUEST_ID_HEADER, requestId);
    if (req.requestedUri().path().path().startsWith("/compute")) {
      res.header(COMPUTE_REQUEST_ID_HEADER, requestId);
    }
    MDC.put("request_id", requestId);
    Object outerCount = StatementCount.start();
    try {
      chain.proceed();
    } finally {
      long nanos = System.nanoTime() - start;
      int statements = StatementCount.stop(outerCount);
      String method = req.prologue().method().text();
      String path = req.requestedUri().path().path();
      int status = res.status().code();
      String route = req.matchingPattern().orElse("unmatched");
      Meters m = meters(serviceOf(path), method, route, status);
      m.duration().record(nanos, TimeUnit.NANOSECONDS);
      m.statements().record(statements);
      if (!path.equals("/healthz") && !path.equals("/metrics")) {
        ACCESS.info("{} {} {} {}ms", method, path, status, nanos / 1_000_000);
      }
      MDC.remove("request_id");
    }
  }

  private Meters meters(String service, String method, String route, int status) {
    Key key = new Key(service, method, route, status);
    Meters kept = meters.get(key);
    if (kept != null) {
      return kept;
    }
    Meters built = register(key);
    if (meters.size() < MAX_KEPT) {
      meters.putIfAbsent(key, built);
    }
    return built;
  }

  private Meters register(Key key) {
    String status = Integer.toString(key.status());
    Timer duration =
        Timer.builder("kiln.http.server.requests")
            .description("HTTP requests served, by service and route")
            .publishPercentiles(0.5, 0.95, 0.99)
            .tag("service", key.service())
            .tag("method", key.method())
            .tag("route", key.route())
            .tag("status", status)
            .register(registry);
    DistributionSummary statements =
        DistributionSummary.builder("kiln.http.server.statements")
            .description("SQL statements run by each request, by service and route")
            .tag("service", key.service())
            .tag("method", key.method())
            .tag("route", key.route())
            .tag("status", status)
            .register(registry);
    return new Meters(duration, statements);
  }

  /** The service a path belongs to: its first segment (identity, compute, …). */
  static String serviceOf(String path) {
    int start = path.startsWith("/") ? 1 : 0;
    int end = path.indexOf('/', start);
    String first = end < 0 ? path.substring(start) : path.substring(start, end);
    return first.isEmpty() ? "root" : first;
  }
}
