package dev.kiln.http;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.IdGenerator;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Wraps every request: gives it an {@code x-openstack-request-id}, puts that id in the logging
 * context so every log line of the request carries it, logs one access line, and times the
 * request per service and route for {@code /metrics}.
 */
public final class RequestObserver implements Filter {
  public static final String REQUEST_ID_HEADER = "x-openstack-request-id";
  /** Nova's own name for the request id, which it sends as well (Tempest reads it). */
  public static final String COMPUTE_REQUEST_ID_HEADER = "x-compute-request-id";
  private static final Logger ACCESS = LoggerFactory.getLogger("kiln.access");

  private final IdGenerator ids;
  private final MeterRegistry registry;

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
    try {
      chain.proceed();
    } finally {
      long nanos = System.nanoTime() - start;
      String method = req.prologue().method().text();
      String path = req.requestedUri().path().path();
      int status = res.status().code();
      String route = req.matchingPattern().orElse("unmatched");
      Timer.builder("kiln.http.server.requests")
          .description("HTTP requests served, by service and route")
          .publishPercentiles(0.5, 0.95, 0.99)
          .tag("service", serviceOf(path))
          .tag("method", method)
          .tag("route", route)
          .tag("status", Integer.toString(status))
          .register(registry)
          .record(nanos, TimeUnit.NANOSECONDS);
      if (!path.equals("/healthz") && !path.equals("/metrics")) {
        ACCESS.info("{} {} {} {}ms", method, path, status, nanos / 1_000_000);
      }
      MDC.remove("request_id");
    }
  }

  /** The service a path belongs to: its first segment (identity, compute, …). */
  static String serviceOf(String path) {
    int start = path.startsWith("/") ? 1 : 0;
    int end = path.indexOf('/', start);
    String first = end < 0 ? path.substring(start) : path.substring(start, end);
    return first.isEmpty() ? "root" : first;
  }
}
