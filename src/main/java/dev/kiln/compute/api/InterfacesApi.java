package dev.kiln.compute.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.compute.attach.ServerInterfaces;
import dev.kiln.http.Access;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import dev.kiln.network.Port;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * {@code /servers/{id}/os-interface}: list, show, attach (a port, or a network with maybe fixed
 * addresses; a {@code tag} from 2.49) and detach. Tags show from 2.70.
 */
final class InterfacesApi {
  private static final String INTERFACES = "/v2.1/servers/{server_id}/os-interface";
  private static final String INTERFACE = INTERFACES + "/{port_id}";

  private final ServerInterfaces interfaces;

  InterfacesApi(ServerInterfaces interfaces) {
    this.interfaces = requireNonNull(interfaces, "interfaces is null");
  }

  void register(ApiRoutes routes) {
    routes
        .get(INTERFACES, Access.AUTHENTICATED, this::list)
        .post(INTERFACES, Access.AUTHENTICATED, this::attach)
        .get(INTERFACE, Access.AUTHENTICATED, this::show)
        .delete(INTERFACE, Access.AUTHENTICATED, this::detach);
  }

  private ApiResponse list(ApiRequest request) {
    ObjectNode body = Json.object();
    ArrayNode items = body.putArray("interfaceAttachments");
    interfaces.list(request.caller().actor(), request.pathParam("server_id"))
        .forEach(i -> items.add(view(request, i)));
    return ApiResponse.ok(body);
  }

  private ApiResponse show(ApiRequest request) {
    ServerInterfaces.Interface i =
        interfaces.show(request.caller().actor(), request.pathParam("server_id"), request.pathParam("port_id"));
    return ApiResponse.ok(Json.wrap("interfaceAttachment", view(request, i)));
  }

  private ApiResponse attach(ApiRequest request) {
    JsonNode root = request.body();
    JsonNode in = root.path("interfaceAttachment");
    if (!root.isObject() || root.size() != 1 || !in.isObject()) {
      throw Nova.invalid("", root, "'interfaceAttachment' is a required property");
    }
    Set<String> allowed =
        Nova.atLeast(request, 49) ? Set.of("port_id", "net_id", "fixed_ips", "tag") : Set.of("port_id", "net_id", "fixed_ips");
    for (Iterator<String> it = in.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!allowed.contains(field)) {
        throw Nova.invalid("interfaceAttachment", in, "Additional properties are not allowed ('" + field + "' was unexpected)");
      }
    }
    String portId = uuid(in, "port_id");
    String netId = uuid(in, "net_id");
    List<String> fixedIps = new ArrayList<>();
    JsonNode ips = in.get("fixed_ips");
    if (ips != null) {
      if (!ips.isArray() || ips.size() != 1) {
        throw Nova.invalid("interfaceAttachment/fixed_ips", ips, "must be a list of one address");
      }
      JsonNode address = ips.get(0).path("ip_address");
      if (!address.isTextual() || !address.textValue().matches("[0-9.]+|[0-9a-fA-F:]+")) {
        throw Nova.invalid("interfaceAttachment/fixed_ips/0/ip_address", ips.get(0).get("ip_address"), "is not a 'ip-address'");
      }
      fixedIps.add(address.textValue());
    }
    if (portId != null && netId != null) {
      throw Nova.invalid("interfaceAttachment", in, "Must not input both network_id and port_id");
    }
    if (!fixedIps.isEmpty() && netId == null) {
      throw Nova.invalid("interfaceAttachment", in, "Must input network_id when request IP address");
    }
    String tag = null;
    if (in.has("tag")) {
      JsonNode t = in.get("tag");
      if (!t.isTextual() || t.textValue().isEmpty() || t.textValue().length() > 60 || t.textValue().matches(".*[/,].*")) {
        throw Nova.invalid("interfaceAttachment/tag", t, "must be 1 to 60 characters without '/' or ','");
      }
      tag = t.textValue();
    }
    ServerInterfaces.Interface attached =
        interfaces.attach(
            request.caller().actor(),
            request.pathParam("server_id"),
            new ServerInterfaces.AttachRequest(portId, netId, fixedIps, tag));
    return ApiResponse.ok(Json.wrap("interfaceAttachment", view(request, attached)));
  }

  private ApiResponse detach(ApiRequest request) {
    interfaces.detach(request.caller().actor(), request.pathParam("server_id"), request.pathParam("port_id"));
    return ApiResponse.accepted(null);
  }

  private static String uuid(JsonNode in, String field) {
    JsonNode v = in.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual() || !Nova.isUuidLike(v.textValue())) {
      throw Nova.invalid("interfaceAttachment/" + field, v, "is not a 'uuid'");
    }
    return v.textValue();
  }

  private static ObjectNode view(ApiRequest request, ServerInterfaces.Interface i) {
    ObjectNode o = Json.object();
    ArrayNode ips = o.putArray("fixed_ips");
    for (Port.FixedIp ip : i.fixedIps()) {
      ips.addObject().put("subnet_id", ip.subnetId()).put("ip_address", ip.ipAddress());
    }
    o.put("mac_addr", i.macAddress());
    o.put("net_id", i.networkId());
    o.put("port_id", i.portId());
    o.put("port_state", i.portState());
    if (Nova.atLeast(request, 70)) {
      o.put("tag", i.tag());
    }
    return o;
  }
}
