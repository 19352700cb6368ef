package dev.kiln.orchestration.resources.compute;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;
import dev.kiln.compute.servers.BlockDevice;
import dev.kiln.compute.servers.Server;
import dev.kiln.compute.servers.Server.PluggedPort;
import dev.kiln.compute.servers.Servers;
import dev.kiln.network.Network;
import dev.kiln.network.Port;
import dev.kiln.orchestration.resources.Cloud;
import dev.kiln.orchestration.resources.ResourceState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A server's attributes, read from Compute and Networking when asked (Heat resolves them live):
 * the addresses by network name and id, in the order of the server's interfaces.
 */
final class ServerAttributes {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final Cloud cloud;

  ServerAttributes(Cloud cloud) {
    this.cloud = requireNonNull(cloud, "cloud is null");
  }

  JsonNode resolve(ResourceState resource, String name) {
    if (resource.physicalId() == null) {
      return NullNode.instance;
    }
    Optional<Server> found = cloud.servers().servers().find(resource.physicalId());
    if (found.isEmpty()) {
      return name.equals("first_address") ? JSON.textNode("") : NullNode.instance;
    }
    Server server = found.get();
    return switch (name) {
      case "name" -> JSON.textNode(server.name());
      case "first_address" -> {
        List<Interface> ifaces = interfaces(server);
        yield JSON.textNode(ifaces.isEmpty() || ifaces.getFirst().port().fixedIps().isEmpty()
            ? "" : ifaces.getFirst().port().fixedIps().getFirst().ipAddress());
      }
      case "networks" -> networks(server);
      case "addresses" -> addresses(server);
      // Nova's instance name template, instance-<id>, as Compute's API shows it.
      case "instance_name" -> JSON.textNode("instance-" + server.id().substring(0, 8));
      // Kiln's servers have no access addresses; Nova shows empty strings for unset ones.
      case "accessIPv4", "accessIPv6" -> JSON.textNode("");
      // Kiln's simulated servers have no consoles.
      case "console_urls", "os_collect_config" -> JSON.objectNode();
      case "tags" -> tags(server);
      case "show" -> show(server);
      default -> NullNode.instance;
    };
  }

  /** One plugged port of the server with its network. */
  private record Interface(Port port, Network network) {}

  private List<Interface> interfaces(Server server) {
    Actor reader = Servers.system(server);
    Map<String, Port> byId = new HashMap<>();
    cloud.network().ports().byIds(server.ports().stream().map(PluggedPort::portId).toList())
        .forEach(p -> byId.put(p.id(), p));
    Map<String, Network> networks = new HashMap<>();
    return server.ports().stream()
        .map(p -> byId.get(p.portId()))
        .filter(p -> p != null && p.deviceId().equals(server.id()))
        .map(p -> new Interface(p, networks.computeIfAbsent(p.networkId(), n -> network(reader, n))))
        .filter(i -> i.network() != null)
        .toList();
  }

  private Network network(Actor reader, String id) {
    try {
      return cloud.network().networks().visible(reader, id);
    } catch (ServiceException e) {
      return null;
    }
  }

  /** {@code {"<name>": [ip, …], "<id>": [ip, …]}}, as Heat extends Nova's {@code networks}. */
  private JsonNode networks(Server server) {
    ObjectNode out = JSON.objectNode();
    for (Interface i : interfaces(server)) {
      for (Port.FixedIp ip : i.port().fixedIps()) {
        list(out, i.network().name()).add(ip.ipAddress());
        if (!i.network().id().equals(i.network().name())) {
          list(out, i.network().id()).add(ip.ipAddress());
        }
      }
    }
    return out;
  }

  /** Nova's {@code addresses} with each address's port, subnets and network, by name and by id. */
  private JsonNode addresses(Server server) {
    ObjectNode out = JSON.objectNode();
    Actor reader = Servers.system(server);
    for (Interface i : interfaces(server)) {
      for (Port.FixedIp ip : i.port().fixedIps()) {
        ObjectNode a = JSON.objectNode();
        a.put("version", ip.ipAddress().contains(":") ? 6 : 4);
        a.put("addr", ip.ipAddress());
        a.put("OS-EXT-IPS-MAC:mac_addr", i.port().macAddress());
        a.put("OS-EXT-IPS:type", "fixed");
        a.put("port", i.port().id());
        ArrayNode subnets = a.putArray("subnets");
        for (Port.FixedIp f : i.port().fixedIps()) {
          try {
            var s = cloud.network().subnets().visible(reader, f.subnetId());
            subnets.addObject().put("id", s.id()).put("name", s.name()).put("cidr", s.cidr())
                .put("ip_version", s.ipVersion()).put("network_id", s.networkId()).put("gateway_ip", s.gatewayIp());
          } catch (ServiceException e) {
            // deleted meanwhile
          }
        }
        a.putObject("network").put("id", i.network().id()).put("name", i.network().name())
            .put("shared", i.network().shared()).put("mtu", i.network().mtu())
            .put("admin_state_up", i.network().adminStateUp()).put("tenant_id", i.network().projectId());
        list(out, i.network().name()).add(a);
        if (!i.network().id().equals(i.network().name())) {
          list(out, i.network().id()).add(a.deepCopy());
        }
      }
    }
    return out;
  }

  private static ArrayNode list(ObjectNode out, String key) {
    return out.has(key) ? (ArrayNode) out.get(key) : out.putArray(key);
  }

  /** The server much as Nova's show answers it. */
  /** The server's tags as Nova lists them (2.26); the stack owner can always see its server. */
  private JsonNode tags(Server server) {
    ArrayNode out = JSON.arrayNode();
    cloud.servers().servers().tags().of(List.of(server.id())).getOrDefault(server.id(), List.of()).forEach(out::add);
    return out;
  }

  private JsonNode show(Server server) {
    ObjectNode o = JSON.objectNode();
    o.put("id", server.id());
    o.put("name", server.name());
    o.put("status", server.status());
    o.put("tenant_id", server.projectId());
    o.put("user_id", server.userId());
    o.put("created", String.valueOf(server.createdAt()));
    o.put("updated", String.valueOf(server.updatedAt()));
    o.put("key_name", server.keyName());
    o.put("OS-EXT-AZ:availability_zone", server.availabilityZone());
    o.put("OS-EXT-STS:vm_state", server.vmState());
    o.put("OS-EXT-STS:task_state", server.taskState());
    o.put("OS-EXT-STS:power_state", server.powerState());
    o.put("accessIPv4", "");
    o.put("accessIPv6", "");
    if (server.imageId() == null) {
      o.put("image", "");
    } else {
      o.putObject("image").put("id", server.imageId());
    }
    o.putObject("flavor").put("id", server.flavor().id()).put("original_name", server.flavor().name());
    ObjectNode metadata = o.putObject("metadata");
    server.metadata().forEach(metadata::put);
    o.set("addresses", novaAddresses(server));
    ArrayNode volumes = o.putArray("os-extended-volumes:volumes_attached");
    for (BlockDevice d : cloud.servers().servers().blockDevices(server.id())) {
      if (d.volumeId() != null) {
        volumes.addObject().put("id", d.volumeId()).put("delete_on_termination", d.deleteOnTermination());
      }
    }
    if (server.fault() != null) {
      o.putObject("fault").put("code", server.fault().code()).put("message", server.fault().message());
    }
    return o;
  }

  private JsonNode novaAddresses(Server server) {
    ObjectNode out = JSON.objectNode();
    for (Interface i : interfaces(server)) {
      for (Port.FixedIp ip : i.port().fixedIps()) {
        list(out, i.network().name()).addObject()
            .put("version", ip.ipAddress().contains(":") ? 6 : 4).put("addr", ip.ipAddress())
            .put("OS-EXT-IPS-MAC:mac_addr", i.port().macAddress()).put("OS-EXT-IPS:type", "fixed");
      }
    }
    return out;
  }
}
