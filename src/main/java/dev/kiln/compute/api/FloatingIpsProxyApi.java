package dev.kiln.compute.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.compute.attach.ServerFloatingIps;
import dev.kiln.compute.attach.ServerFloatingIps.NovaFloatingIp;
import dev.kiln.http.Access;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;

/**
 * Nova's floating IP proxies to Networking, which 2.36 removed (404 from then on, as Nova):
 * {@code /os-floating-ips} (list, allocate from a pool, show, release) and {@code
 * /os-floating-ip-pools}; and the bodies of the addFloatingIp/removeFloatingIp server actions
 * (before 2.44), which {@link ServerActionsApi} hands here.
 */
final class FloatingIpsProxyApi {
  private static final String FLOATING_IPS = "/v2.1/os-floating-ips";

  private final ServerFloatingIps floatingIps;

  FloatingIpsProxyApi(ServerFloatingIps floatingIps) {
    this.floatingIps = requireNonNull(floatingIps, "floatingIps is null");
  }

  void register(ApiRoutes routes) {
    routes
        .get(FLOATING_IPS, Access.AUTHENTICATED, this::list)
        .post(FLOATING_IPS, Access.AUTHENTICATED, this::allocate)
        .get(FLOATING_IPS + "/{id}", Access.AUTHENTICATED, this::show)
        .delete(FLOATING_IPS + "/{id}", Access.AUTHENTICATED, this::release)
        .get("/v2.1/os-floating-ip-pools", Access.AUTHENTICATED, this::pools);
  }

  private static void before236(ApiRequest request) {
    if (Nova.atLeast(request, 36)) {
      throw ApiError.notFound("NotFound", "The resource could not be found.");
    }
  }

  private ApiResponse list(ApiRequest request) {
    before236(request);
    ObjectNode body = Json.object();
    ArrayNode all = body.putArray("floating_ips");
    floatingIps.list(request.caller().actor()).forEach(f -> all.add(view(f)));
    return ApiResponse.ok(body);
  }

  private ApiResponse show(ApiRequest request) {
    before236(request);
    return ApiResponse.ok(Json.wrap("floating_ip", view(floatingIps.get(request.caller().actor(), request.pathParam("id")))));
  }

  private ApiResponse allocate(ApiRequest request) {
    before236(request);
    JsonNode body = request.body();
    String pool = null;
    if (body != null && body.isObject() && body.hasNonNull("pool")) {
      if (!body.get("pool").isTextual()) {
        throw ApiError.badRequest("pool must be a string");
      }
      pool = body.get("pool").textValue();
    }
    return ApiResponse.ok(Json.wrap("floating_ip", view(floatingIps.allocate(request.caller().actor(), pool))));
  }

  private ApiResponse release(ApiRequest request) {
    before236(request);
    floatingIps.release(request.caller().actor(), request.pathParam("id"));
    return ApiResponse.accepted(null);
  }

  private ApiResponse pools(ApiRequest request) {
    before236(request);
    ObjectNode body = Json.object();
    ArrayNode all = body.putArray("floating_ip_pools");
    floatingIps.pools(request.caller().actor()).forEach(name -> all.addObject().put("name", name));
    return ApiResponse.ok(body);
  }

  /** addFloatingIp: {@code address} (required) and {@code fixed_address}, both IP addresses. */
  ApiResponse add(ApiRequest request, String serverId, JsonNode body) {
    before244(request);
    String address = address(body, "addFloatingIp", "address", true);
    String fixed = address(body, "addFloatingIp", "fixed_address", false);
    floatingIps.associate(request.caller().actor(), serverId, address, fixed);
    return ApiResponse.accepted(null);
  }

  /** removeFloatingIp: {@code address} (required). */
  ApiResponse remove(ApiRequest request, String serverId, JsonNode body) {
    before244(request);
    floatingIps.disassociate(request.caller().actor(), serverId, address(body, "removeFloatingIp", "address", true));
    return ApiResponse.accepted(null);
  }

  private static void before244(ApiRequest request) {
    if (Nova.atLeast(request, 44)) {
      throw ApiError.notFound("NotFound", "The resource could not be found.");
    }
  }

  private static String address(JsonNode body, String action, String field, boolean required) {
    if (!body.isObject()) {
      throw Nova.invalid(action, body, "is not of type 'object'");
    }
    JsonNode value = body.get(field);
    if (value == null) {
      if (required) {
        throw Nova.invalid(action, body, "'" + field + "' is a required property");
      }
      return null;
    }
    if (!value.isTextual() || !(Nova.isIpv4(value.textValue()) || Nova.isIpv6(value.textValue()))) {
      throw Nova.invalid(action + "/" + field, value, "is not a 'ip-address'");
    }
    return value.textValue();
  }

  private static ObjectNode view(NovaFloatingIp f) {
    ObjectNode o = Json.object();
    o.put("fixed_ip", f.fixedIp());
    o.put("id", f.id());
    o.put("instance_id", f.instanceId());
    o.put("ip", f.ip());
    o.put("pool", f.pool());
    return o;
  }
}
