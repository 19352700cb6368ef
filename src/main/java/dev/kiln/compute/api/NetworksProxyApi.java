package dev.kiln.compute.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.common.Actor;
import dev.kiln.compute.proxy.NetworkProxy;
import dev.kiln.http.Access;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import dev.kiln.network.Network;
import java.util.List;

/**
 * Nova's {@code /os-networks} and {@code /os-tenant-networks} proxies to Networking, which 2.36
 * removed (404 from then on): list and show, each network shown as nova-network showed one, of
 * which only {@code id} and {@code label} (the name) still carry a value. Their create, delete and
 * association calls went with nova-network: 410 at every version, as in Nova.
 */
final class NetworksProxyApi {
  private static final String NETWORKS = "/v2.1/os-networks";
  private static final String TENANT_NETWORKS = "/v2.1/os-tenant-networks";
  /** What everyone sees of a network; all but id and label are null since nova-network went. */
  private static final List<String> FIELDS =
      List.of("id", "cidr", "netmask", "gateway", "broadcast", "dns1", "dns2", "cidr_v6", "gateway_v6", "label",
          "netmask_v6");
  /** What admins see besides: every one null. */
  private static final List<String> ADMIN_FIELDS =
      List.of("created_at", "updated_at", "deleted_at", "deleted", "injected", "bridge", "vlan",
          "vpn_public_address", "vpn_public_port", "vpn_private_address", "dhcp_start", "project_id", "host",
          "bridge_interface", "multi_host", "priority", "rxtx_base", "mtu", "dhcp_server", "enable_dhcp",
          "share_address");

  private final NetworkProxy networks;

  NetworksProxyApi(NetworkProxy networks) {
    this.networks = requireNonNull(networks, "networks is null");
  }

  void register(ApiRoutes routes) {
    routes
        .get(NETWORKS, Access.AUTHENTICATED, this::list)
        .post(NETWORKS, Access.AUTHENTICATED, NetworksProxyApi::gone)
        .post(NETWORKS + "/add", Access.AUTHENTICATED, NetworksProxyApi::gone)
        .get(NETWORKS + "/{id}", Access.AUTHENTICATED, this::show)
        .delete(NETWORKS + "/{id}", Access.AUTHENTICATED, NetworksProxyApi::gone)
        .post(NETWORKS + "/{id}/action", Access.AUTHENTICATED, NetworksProxyApi::gone)
        .get(TENANT_NETWORKS, Access.AUTHENTICATED, this::listTenant)
        .post(TENANT_NETWORKS, Access.AUTHENTICATED, NetworksProxyApi::gone)
        .get(TENANT_NETWORKS + "/{id}", Access.AUTHENTICATED, this::showTenant)
        .delete(TENANT_NETWORKS + "/{id}", Access.AUTHENTICATED, NetworksProxyApi::gone);
  }

  private static void before236(ApiRequest request) {
    if (Nova.atLeast(request, 36)) {
      throw ApiError.notFound("NotFound", "The resource could not be found.");
    }
  }

  private static ApiResponse gone(ApiRequest request) {
    throw new ApiError(410, "HTTPGone", "This API only worked with nova-network, which was removed in the 21.0.0 (Ussuri) release.");
  }

  private ApiResponse list(ApiRequest request) {
    before236(request);
    Actor actor = request.caller().actor();
    ObjectNode body = Json.object();
    ArrayNode all = body.putArray("networks");
    networks.list(actor).forEach(n -> all.add(view(n, actor.admin())));
    return ApiResponse.ok(body);
  }

  private ApiResponse show(ApiRequest request) {
    before236(request);
    Actor actor = request.caller().actor();
    return ApiResponse.ok(Json.wrap("network", view(networks.get(actor, request.pathParam("id")), actor.admin())));
  }

  private ApiResponse listTenant(ApiRequest request) {
    before236(request);
    ObjectNode body = Json.object();
    ArrayNode all = body.putArray("networks");
    networks.list(request.caller().actor()).forEach(n -> all.add(tenantView(n)));
    return ApiResponse.ok(body);
  }

  private ApiResponse showTenant(ApiRequest request) {
    before236(request);
    return ApiResponse.ok(Json.wrap("network", tenantView(networks.get(request.caller().actor(), request.pathParam("id")))));
  }

  private static ObjectNode view(Network n, boolean admin) {
    ObjectNode o = Json.object();
    for (String field : FIELDS) {
      switch (field) {
        case "id" -> o.put("id", n.id());
        case "label" -> o.put("label", n.name());
        default -> o.putNull(field);
      }
    }
    if (admin) {
      ADMIN_FIELDS.forEach(o::putNull);
    }
    return o;
  }

  /** The tenant networks' view: Nova has always answered the text "None" as the cidr here. */
  private static ObjectNode tenantView(Network n) {
    ObjectNode o = Json.object();
    o.put("id", n.id());
    o.put("cidr", "None");
    o.put("label", n.name());
    return o;
  }
}
