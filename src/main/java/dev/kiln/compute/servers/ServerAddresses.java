package dev.kiln.compute.servers;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;
import dev.kiln.compute.servers.Server.PluggedPort;
import dev.kiln.network.FloatingIp;
import dev.kiln.network.NetworkService;
import dev.kiln.network.Port;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What servers show from Networking: their addresses (fixed, each followed by the floating IPs
 * mapped to it, as Nova's network info cache nests them) and their ports' security groups. A page
 * of servers costs one lookup of all their ports, one of the floating IPs on those ports, and one
 * per network or group name.
 */
final class ServerAddresses {
  private final NetworkService network;

  ServerAddresses(NetworkService network) {
    this.network = requireNonNull(network, "network is null");
  }

  /** The Networking details of these servers (their ports must have been read with them). */
  Servers.NetworkDetails of(List<Server> servers) {
    List<String> portIds = servers.stream().flatMap(s -> s.ports().stream()).map(PluggedPort::portId).toList();
    Map<String, Port> ports = new HashMap<>();
    for (Port p : network.ports().byIds(portIds)) {
      ports.put(p.id(), p);
    }
    // Floating IPs by the fixed address they map to, of the port they map from.
    Map<String, List<FloatingIp>> floating = new HashMap<>();
    for (FloatingIp f : network.floatingIps().byPorts(ports.keySet())) {
      floating.computeIfAbsent(f.portId() + " " + f.fixedIpAddress(), k -> new ArrayList<>()).add(f);
    }
    Map<String, String> networkNames = new HashMap<>();
    Map<String, String> groupNames = new HashMap<>();
    Map<String, List<Servers.Address>> addresses = new HashMap<>();
    Map<String, List<String>> groups = new HashMap<>();
    for (Server server : servers) {
      Actor system = Servers.system(server);
      List<Servers.Address> serverAddresses = new ArrayList<>();
      TreeSet<String> serverGroups = new TreeSet<>();
      for (PluggedPort p : server.ports()) {
        Port port = ports.get(p.portId());
        if (port == null || !port.deviceId().equals(server.id())) {
          continue; // deleted behind Compute's back, or not plugged (yet)
        }
        String netName = networkNames.computeIfAbsent(port.networkId(), n -> networkName(system, n));
        for (Port.FixedIp ip : port.fixedIps()) {
          serverAddresses.add(
              new Servers.Address(netName, version(ip.ipAddress()), ip.ipAddress(), port.macAddress(), Servers.Address.FIXED));
          for (FloatingIp f : floating.getOrDefault(port.id() + " " + ip.ipAddress(), List.of())) {
            serverAddresses.add(
                new Servers.Address(
                    netName, version(f.floatingIpAddress()), f.floatingIpAddress(), port.macAddress(),
                    Servers.Address.FLOATING));
          }
        }
        for (String groupId : port.securityGroups()) {
          String name = groupNames.computeIfAbsent(groupId, g -> groupName(system, g));
          if (name != null) {
            serverGroups.add(name);
          }
        }
      }
      addresses.put(server.id(), serverAddresses);
      groups.put(server.id(), List.copyOf(serverGroups));
    }
    return new Servers.NetworkDetails(addresses, groups);
  }

  /**
   * The servers with an address matching Nova's {@code ip} (IPv4, fixed or floating) or {@code
   * ip6} filter: a regular expression matched from the address's start, as Python's {@code
   * re.match}. A null pattern matches nothing.
   */
  List<Server> matching(List<Server> servers, Pattern ip, Pattern ip6) {
    Map<String, List<Servers.Address>> addresses = of(servers).addresses();
    List<Server> result = new ArrayList<>();
    for (Server s : servers) {
      for (Servers.Address a : addresses.getOrDefault(s.id(), List.of())) {
        Pattern p = a.version() == 4 ? ip : ip6;
        if (p != null && p.matcher(a.addr()).lookingAt()) {
          result.add(s);
          break;
        }
      }
    }
    return result;
  }

  private static int version(String address) {
    return address.contains(":") ? 6 : 4;
  }

  private String groupName(Actor system, String groupId) {
    try {
      return network.securityGroups().get(system, groupId).name();
    } catch (ServiceException e) {
      return null; // deleted meanwhile
    }
  }

  private String networkName(Actor system, String networkId) {
    try {
      return network.networks().visible(system, networkId).name();
    } catch (ServiceException e) {
      return networkId;
    }
  }
}
