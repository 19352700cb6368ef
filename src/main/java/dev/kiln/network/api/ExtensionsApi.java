package dev.kiln.network.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.http.Access;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import java.util.List;

/**
 * {@code /v2.0/extensions}: the Neutron extensions Kiln implements. Clients switch behaviour on
 * this list (Nova uses port bindings only when {@code binding-extended} is here), so it names
 * only what works.
 */
final class ExtensionsApi {
  private record Extension(String alias, String name, String description) {}

  private static final String UPDATED = "2025-01-01T00:00:00-00:00";

  private static final List<Extension> EXTENSIONS =
      List.of(
          new Extension("binding", "Port Binding", "Expose port bindings of a virtual port to external application"),
          new Extension("binding-extended", "Port Bindings Extended", "Expose port bindings of a virtual port to external application"),
          new Extension("security-group", "security-group", "The security groups extension."),
          new Extension("port-security", "Port Security", "Provides port security"),
          new Extension("external-net", "Neutron external network", "Adds external network attribute to network resource."),
          new Extension("net-mtu", "Network MTU", "Provides MTU attribute for a network resource."),
          new Extension("project-id", "project_id field enabled", "Extension that indicates that project_id field is enabled."),
          new Extension("standard-attr-description", "standard-attr-description", "Extension to add descriptions to standard attributes"),
          new Extension("standard-attr-timestamp", "Resource timestamps", "Adds created_at and updated_at fields to all Neutron resources that have Neutron standard attributes."),
          new Extension("standard-attr-revisions", "Resource revision numbers", "This extension will display the revision number of neutron resources."),
          new Extension("pagination", "Pagination support", "Extension that indicates that pagination is enabled."),
          new Extension("sorting", "Sorting support", "Extension that indicates that sorting is enabled."),
          new Extension("filter-validation", "Filter parameters validation", "Provides validation on filter parameters."),
          new Extension("quotas", "Quota management support", "Expose functions for quotas management per project"),
          new Extension("quota_details", "Quota details management support", "Expose functions for quotas usage statistics per project"),
          new Extension("router", "Neutron L3 Router", "Router abstraction for basic L3 forwarding between L2 Neutron networks and access to external networks via a NAT gateway."),
          new Extension("ext-gw-mode", "Neutron L3 Configurable external gateway mode", "Extension of the router abstraction for specifying whether SNAT should occur on the external gateway"),
          new Extension("extraroute", "Neutron Extra Route", "Extra routes configuration for L3 router"),
          new Extension("extraroute-atomic", "Atomically add/remove extra routes", "Edit extra routes of a router on server side by atomically adding/removing extra routes"),
          new Extension("fip-port-details", "Floating IP Port Details Extension", "Add port_details attribute to Floating IP resource"),
          new Extension("standard-attr-tag", "Tag support for resources with standard attribute", "Enables to set tag on resources with standard attribute."),
          new Extension("allowed-address-pairs", "Allowed Address Pairs", "Provides allowed address pairs"),
          new Extension("subnet_allocation", "Subnet Allocation", "Enables allocation of subnets from a subnet pool"),
          new Extension("default-subnetpools", "Default Subnetpools", "Provides ability to mark and use a subnetpool as the default."),
          new Extension("address-scope", "Address scope", "Address scopes extension."),
          new Extension("ip-substring-filtering", "IP address substring filtering", "Provides IP address substring filtering when listing ports"),
          new Extension("trunk", "Trunk Extension", "Provides support for trunk ports"),
          new Extension("provider", "Provider Network", "Exposes the segment (type, physical network, id) a network is on"),
          new Extension("trunk-details", "Trunk port details", "Shows a trunk's details on its parent port"),
          new Extension("floating-ip-port-forwarding", "Floating IP Port Forwarding", "Forwards ports of a floating IP to addresses and ports of internal ports"),
          new Extension("expose-port-forwarding-in-fip", "Expose port forwardings in a floating IP", "Shows a floating IP's port forwardings in its body"),
          new Extension("extra_dhcp_opt", "Neutron Extra DHCP options", "Extra DHCP options a port hands to its DHCP clients, such as PXE boot settings"),
          new Extension("dns-integration", "DNS Integration", "Provides integration with DNS: DNS names of ports and DNS domains of networks"),
          new Extension("rbac-policies", "RBAC Policies", "Allows creation and modification of policies that control tenant access to resources."));

  void register(ApiRoutes routes) {
    routes
        .get("/v2.0/extensions", Access.AUTHENTICATED, this::list)
        .get("/v2.0/extensions/{alias}", Access.AUTHENTICATED, this::show);
  }

  private ApiResponse list(ApiRequest request) {
    ArrayNode list = Json.array();
    EXTENSIONS.forEach(e -> list.add(render(e)));
    return ApiResponse.ok(Json.wrap("extensions", list));
  }

  private ApiResponse show(ApiRequest request) {
    String alias = request.pathParam("alias");
    return EXTENSIONS.stream()
        .filter(e -> e.alias().equals(alias))
        .findFirst()
        .map(e -> ApiResponse.ok(Json.wrap("extension", render(e))))
        .orElseThrow(() -> ApiError.notFound("ExtensionNotFound", "Extension with alias " + alias + " does not exist."));
  }

  private static ObjectNode render(Extension e) {
    ObjectNode o = Json.object();
    o.put("alias", e.alias());
    o.put("name", e.name());
    o.put("description", e.description());
    o.put("updated", UPDATED);
    o.putArray("links");
    return o;
  }
}
