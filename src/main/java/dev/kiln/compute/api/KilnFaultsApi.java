package dev.kiln.compute.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.compute.fleet.DriverOperation;
import dev.kiln.compute.fleet.DriverSetting;
import dev.kiln.compute.fleet.DriverSettings;
import dev.kiln.compute.fleet.FaultRule;
import dev.kiln.http.Access;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import dev.kiln.http.JsonInput;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * {@code /os-kiln-faults} (admin only), a Kiln extension that no OpenStack cloud has: how long each
 * simulated hypervisor operation takes and when it fails, so users can test their tools' error
 * paths. {@code PUT /os-kiln-faults/spawn {"kiln_fault": {"fail_next": 2}}} makes the next two
 * spawns fail; {@code DELETE} resets one operation, or all, to the configuration.
 */
final class KilnFaultsApi {
  private static final String FAULTS = "/v2.1/os-kiln-faults";
  private static final long MAX_LATENCY_MS = 3_600_000;

  private final DriverSettings settings;
  private final Predicate<String> knownHost;

  KilnFaultsApi(DriverSettings settings, Predicate<String> knownHost) {
    this.settings = requireNonNull(settings, "settings is null");
    this.knownHost = requireNonNull(knownHost, "knownHost is null");
  }

  void register(ApiRoutes routes) {
    routes
        .get(FAULTS, Access.ADMIN, this::list)
        .delete(FAULTS, Access.ADMIN, this::resetAll)
        .get(FAULTS + "/{operation}", Access.ADMIN, this::show)
        .put(FAULTS + "/{operation}", Access.ADMIN, this::update)
        .delete(FAULTS + "/{operation}", Access.ADMIN, this::reset);
  }

  private ApiResponse list(ApiRequest request) {
    ObjectNode body = Json.object();
    ArrayNode items = body.putArray("kiln_faults");
    settings.list().forEach(s -> items.add(view(s)));
    return ApiResponse.ok(body);
  }

  private ApiResponse show(ApiRequest request) {
    return ApiResponse.ok(Json.wrap("kiln_fault", view(settings.get(operation(request)))));
  }

  /** Changes the fields given; the others keep their values. */
  private ApiResponse update(ApiRequest request) {
    DriverOperation op = operation(request);
    JsonInput in = JsonInput.wrapped(request.body(), "kiln_fault");
    in.allowOnly("latency_ms", "fail_next", "probability", "host", "message");
    DriverSetting current = settings.get(op);
    FaultRule rule = current.faults();
    Duration latency = current.latency();
    if (in.has("latency_ms")) {
      long ms = wholeNumber(in, "latency_ms", MAX_LATENCY_MS);
      latency = Duration.ofMillis(ms);
    }
    int failNext = in.has("fail_next") ? (int) wholeNumber(in, "fail_next", Integer.MAX_VALUE) : rule.failNext();
    double probability = rule.probability();
    if (in.has("probability")) {
      JsonNode p = in.raw("probability");
      if (!p.isNumber() || !(p.doubleValue() >= 0.0 && p.doubleValue() <= 1.0)) {
        throw in.invalid("probability", "expected a number from 0 to 1");
      }
      probability = p.doubleValue();
    }
    String host = rule.host();
    if (in.has("host")) {
      host = in.optionalString("host").orElse(null);
      if (host != null && !knownHost.test(host)) {
        throw in.invalid("host", "'" + host + "' is not a compute host of this fleet");
      }
    }
    String message = rule.message();
    if (in.has("message")) {
      message = in.optionalString("message").orElse(null);
      if (message != null && (message.isBlank() || message.length() > 1024)) {
        throw in.invalid("message", "must be 1 to 1024 characters long");
      }
    }
    DriverSetting updated = settings.put(new DriverSetting(op, latency, new FaultRule(failNext, probability, host, message)));
    return ApiResponse.ok(Json.wrap("kiln_fault", view(updated)));
  }

  private ApiResponse reset(ApiRequest request) {
    settings.reset(operation(request));
    return ApiResponse.noContent();
  }

  private ApiResponse resetAll(ApiRequest request) {
    settings.resetAll();
    return ApiResponse.noContent();
  }

  private static ObjectNode view(DriverSetting s) {
    ObjectNode o = Json.object();
    o.put("operation", s.operation().apiName());
    o.put("latency_ms", s.latency().toMillis());
    o.put("fail_next", s.faults().failNext());
    o.put("probability", s.faults().probability());
    o.put("host", s.faults().host());
    o.put("message", s.faults().message());
    return o;
  }

  private static DriverOperation operation(ApiRequest request) {
    String name = request.pathParam("operation");
    return DriverOperation.fromApiName(name)
        .orElseThrow(
            () ->
                ApiError.notFound(
                    "HTTPNotFound",
                    "No hypervisor operation '" + name + "'; the operations are "
                        + String.join(", ", DriverOperation.apiNames()) + "."));
  }

  private static long wholeNumber(JsonInput in, String field, long max) {
    JsonNode value = in.raw(field);
    if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0 || value.longValue() > max) {
      throw in.invalid(field, "expected a whole number from 0 to " + max);
    }
    return value.longValue();
  }
}
