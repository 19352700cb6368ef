package dev.kiln.compute.metadata;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;
import dev.kiln.compute.catalog.Keypair;
import dev.kiln.compute.catalog.Keypairs;
import dev.kiln.compute.servers.Server.PluggedPort;
import dev.kiln.compute.servers.Server;
import dev.kiln.compute.servers.Servers;
import dev.kiln.network.Network;
import dev.kiln.network.NetworkService;
import dev.kiln.network.Port;
import dev.kiln.network.Subnet;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The documents Nova's metadata service gives a guest under {@code /openstack/<version>/}: {@code
 * meta_data.json}, {@code network_data.json}, {@code user_data}, {@code password} and the vendor
 * data, built from the server, its keypair and its ports as {@code nova/api/metadata/base.py}
 * builds them.
 *
 * <p>Documents are ordered maps of strings, numbers, lists and maps, so that later features
 * (Heat's software deployments add keys to {@code meta}) extend them without new types. A
 * version is one of {@link #VERSIONS} or {@code latest}; an older version leaves out what came
 * after it, as Nova's does.
 */
public final class InstanceMetadata {
  /** Nova's OpenStack metadata versions, oldest first; each adds to the ones before. */
  public static final List<String> VERSIONS =
      List.of(
          "2012-08-10", // Folsom: meta_data.json, user_data
          "2013-04-04", // Grizzly: random_seed, password
          "2013-10-17", // Havana: vendor_data.json
          "2015-10-15", // Liberty: project_id, network_data.json
          "2016-06-30", // Newton: devices
          "2016-10-06", // Newton: vendor_data2.json
          "2017-02-22", // Ocata: vlan of devices
          "2018-08-27", // Rocky: vf_trusted of devices
          "2020-10-14", // Victoria: dedicated_cpus
          "2025-04-04"); // Epoxy: share devices
  public static final String LATEST = "latest";

  private static final String GRIZZLY = "2013-04-04";
  private static final String HAVANA = "2013-10-17";
  private static final String LIBERTY = "2015-10-15";
  private static final String NEWTON_ONE = "2016-06-30";
  private static final String NEWTON_TWO = "2016-10-06";
  private static final String VICTORIA = "2020-10-14";
  /** Nova's default {@code [api] dhcp_domain}, appended to the hostname. */
  private static final String DHCP_DOMAIN = "novalocal";
  /** Nova names a port's tap device "tap" + the port id, cut to Linux's 14 characters. */
  private static final int NIC_NAME_LENGTH = 14;

  private final Clock clock;
  private final Servers servers;
  private final Keypairs keypairs;
  private final NetworkService network;
  private final SecureRandom random;

  public InstanceMetadata(Clock clock, Servers servers, Keypairs keypairs, NetworkService network, SecureRandom random) {
    this.clock = requireNonNull(clock, "clock is null");
    this.servers = requireNonNull(servers, "servers is null");
    this.keypairs = requireNonNull(keypairs, "keypairs is null");
    this.network = requireNonNull(network, "network is null");
    this.random = requireNonNull(random, "random is null");
  }

  /**
   * What {@code /openstack} lists for the server: the versions released by today, then {@code
   * latest}, as Nova.
   */
  public List<String> versions(String serverId) {
    servers.get(serverId);
    String today = LocalDate.now(clock.withZone(ZoneOffset.UTC)).toString();
    List<String> offered = new ArrayList<>(VERSIONS.stream().filter(v -> v.compareTo(today) <= 0).toList());
    offered.add(LATEST);
    return offered;
  }

  /**
   * What {@code /openstack/<version>} lists for the server: the documents that version has, with
   * {@code user_data} only when the server was given some.
   */
  public List<String> items(String serverId, String version) {
    String v = version(version);
    Server server = servers.get(serverId);
    List<String> items = new ArrayList<>();
    items.add("meta_data.json");
    if (server.userData() != null) {
      items.add("user_data");
    }
    if (atLeast(v, GRIZZLY)) {
      items.add("password");
    }
    if (atLeast(v, HAVANA)) {
      items.add("vendor_data.json");
    }
    if (atLeast(v, LIBERTY)) {
      items.add("network_data.json");
    }
    if (atLeast(v, NEWTON_TWO)) {
      items.add("vendor_data2.json");
    }
    return items;
  }

  /** {@code meta_data.json}: who the guest is, its metadata and keys, a random seed. */
  public Map<String, Object> metaData(String serverId, String version) {
    String v = version(version);
    Server server = servers.get(serverId);
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("uuid", server.id());
    if (!server.metadata().isEmpty()) {
      doc.put("meta", new LinkedHashMap<>(server.metadata()));
    }
    // The keypair is looked up now; one deleted since the boot is left out, as Nova does when the
    // instance's copy is gone.
    Optional<Keypair> keypair =
        server.keyName() == null ? Optional.empty() : keypairs.find(server.userId(), server.keyName());
    keypair.ifPresent(
        k -> {
          doc.put("public_keys", Map.of(k.name(), k.publicKey()));
          Map<String, Object> key = new LinkedHashMap<>();
          key.put("name", k.name());
          key.put("type", k.type());
          key.put("data", k.publicKey());
          doc.put("keys", List.of(key));
        });
    doc.put("hostname", hostname(server) + "." + DHCP_DOMAIN);
    doc.put("name", server.name());
    doc.put("launch_index", 0);
    doc.put("availability_zone", server.availabilityZone());
    if (atLeast(v, GRIZZLY)) {
      byte[] seed = new byte[512];
      random.nextBytes(seed);
      doc.put("random_seed", Base64.getEncoder().encodeToString(seed));
    }
    if (atLeast(v, LIBERTY)) {
      doc.put("project_id", server.projectId());
    }
    if (atLeast(v, NEWTON_ONE)) {
      doc.put("devices", List.of()); // Kiln has no tagged devices
    }
    if (atLeast(v, VICTORIA)) {
      doc.put("dedicated_cpus", List.of()); // no CPU pinning in a simulated fleet
    }
    return doc;
  }

  /**
   * {@code network_data.json} (from 2015-10-15), as Nova's {@code get_network_metadata}: a link
   * per plugged port with addresses, the port's first IPv4 and first IPv6 address as networks
   * ({@code ipv4_dhcp} on a subnet with DHCP, {@code ipv6_<mode>} with an IPv6 address mode,
   * else static with netmask and routes), and the DNS servers. A server without ports gets
   * {@code {}}.
   */
  public Map<String, Object> networkData(String serverId, String version) {
    String v = version(version);
    if (!atLeast(v, LIBERTY)) {
      throw notFound(version + "/network_data.json");
    }
    Server server = servers.get(serverId);
    Actor system = new Actor(server.projectId(), server.userId(), true);
    List<Port> ports = new ArrayList<>();
    for (PluggedPort p : server.ports()) {
      try {
        Port port = network.ports().visible(system, p.portId());
        if (port.deviceId().equals(server.id())) {
          ports.add(port);
        }
      } catch (ServiceException e) {
        if (e.kind() != ServiceException.Kind.NOT_FOUND) {
          throw e;
        }
        // deleted behind Compute's back: the guest no longer has it
      }
    }
    if (ports.isEmpty()) {
      return new LinkedHashMap<>();
    }
    List<Map<String, Object>> links = new ArrayList<>();
    List<Map<String, Object>> nets = new ArrayList<>();
    List<Map<String, Object>> services = new ArrayList<>();
    for (Port port : ports) {
      Addressed v4 = first(system, port, 4);
      Addressed v6 = first(system, port, 6);
      if (v4 == null && v6 == null) {
        continue;
      }
      Network net = network.networks().visible(system, port.networkId());
      String linkId = ("tap" + port.id()).substring(0, Math.min(NIC_NAME_LENGTH, 3 + port.id().length()));
      Map<String, Object> link = new LinkedHashMap<>();
      link.put("id", linkId);
      link.put("vif_id", port.id());
      link.put("type", "ovs");
      // Nova gives no MTU when a DHCP port serves the subnet; Kiln's networks have none.
      link.put("mtu", net.mtu());
      link.put("ethernet_mac_address", port.macAddress());
      links.add(link);
      for (Addressed a : new Addressed[] {v4, v6}) {
        if (a == null) {
          continue;
        }
        nets.add(net(a, "network" + nets.size(), linkId, port.networkId()));
        for (Map<String, Object> dns : dnsServices(a.subnet())) {
          if (!services.contains(dns)) {
            services.add(dns);
          }
        }
      }
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("links", links);
    doc.put("networks", nets);
    doc.put("services", services);
    return doc;
  }

  /** The server's {@code user_data}, decoded from the base64 it was given in; empty for none. */
  public Optional<byte[]> userData(String serverId, String version) {
    version(version);
    String encoded = servers.get(serverId).userData();
    return encoded == null ? Optional.empty() : Optional.of(Base64.getMimeDecoder().decode(encoded));
  }

  /**
   * The {@code password} a guest posted for the admin to read (from 2013-04-04): Kiln's guests
   * post none, so it is empty, as Nova's before one is set.
   */
  public byte[] password(String serverId, String version) {
    if (!atLeast(version(version), GRIZZLY)) {
      throw notFound(version + "/password");
    }
    servers.get(serverId);
    return "".getBytes(StandardCharsets.UTF_8);
  }

  /**
   * {@code vendor_data.json} (from 2013-10-17): Nova's default provider, StaticJSON without a
   * file, gives {@code {}}.
   */
  public Map<String, Object> vendorData(String serverId, String version) {
    if (!atLeast(version(version), HAVANA)) {
      throw notFound(version + "/vendor_data.json");
    }
    servers.get(serverId);
    return new LinkedHashMap<>();
  }

  /**
   * {@code vendor_data2.json} (from 2016-10-06): one key per vendor data provider; Nova's default
   * StaticJSON without a file is {@code {"static": {}}}.
   */
  public Map<String, Object> vendorData2(String serverId, String version) {
    if (!atLeast(version(version), NEWTON_TWO)) {
      throw notFound(version + "/vendor_data2.json");
    }
    servers.get(serverId);
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("static", new LinkedHashMap<>());
    return doc;
  }

  /**
   * The guest's hostname as Nova's API shows it ({@code OS-EXT-SRV-ATTR:hostname}, the same rule
   * as the server view): the name with anything but letters, digits and '-' made '-', in lower
   * case.
   */
  static String hostname(Server server) {
    return server.name().replaceAll("[^A-Za-z0-9-]", "-").toLowerCase(Locale.ROOT);
  }

  /** A port's address on one of its subnets. */
  private record Addressed(String address, Subnet subnet) {}

  /** The port's first address of this IP version (Nova uses only that one per family). */
  private Addressed first(Actor system, Port port, int ipVersion) {
    for (Port.FixedIp ip : port.fixedIps()) {
      boolean v6 = ip.ipAddress().contains(":");
      if ((ipVersion == 6) == v6) {
        try {
          return new Addressed(ip.ipAddress(), network.subnets().visible(system, ip.subnetId()));
        } catch (ServiceException e) {
          if (e.kind() != ServiceException.Kind.NOT_FOUND) {
            throw e;
          }
        }
      }
    }
    return null;
  }

  private static Map<String, Object> net(Addressed a, String id, String linkId, String networkId) {
    Subnet subnet = a.subnet();
    int version = subnet.ipVersion();
    Map<String, Object> net = new LinkedHashMap<>();
    net.put("id", id);
    if (subnet.ipv6AddressMode() == null && subnet.enableDhcp()) {
      // The guest asks DHCP for its address: Nova says no more than that.
      net.put("type", "ipv" + version + "_dhcp");
      net.put("link", linkId);
      net.put("network_id", networkId);
      return net;
    }
    net.put("type", "ipv" + version + (subnet.ipv6AddressMode() == null ? "" : "_" + subnet.ipv6AddressMode()));
    net.put("link", linkId);
    net.put("ip_address", a.address());
    net.put("netmask", subnet.netmask());
    List<Map<String, Object>> routes = new ArrayList<>();
    if (subnet.gatewayIp() != null && !subnet.gatewayIp().isEmpty()) {
      String any = version == 4 ? "0.0.0.0" : "::";
      routes.add(route(any, any, subnet.gatewayIp()));
    }
    for (Subnet.Route r : subnet.hostRoutes()) {
      if (r.destinationAddress() != null) {
        routes.add(route(r.destinationAddress(), r.destinationNetmask(), r.nexthop()));
      }
    }
    net.put("routes", routes);
    net.put("network_id", networkId);
    net.put("services", dnsServices(subnet));
    return net;
  }

  private static Map<String, Object> route(String network, String netmask, String gateway) {
    Map<String, Object> route = new LinkedHashMap<>();
    route.put("network", network);
    route.put("netmask", netmask);
    route.put("gateway", gateway);
    return route;
  }

  private static List<Map<String, Object>> dnsServices(Subnet subnet) {
    List<Map<String, Object>> services = new ArrayList<>();
    for (String address : subnet.dnsNameservers()) {
      Map<String, Object> dns = new LinkedHashMap<>();
      dns.put("type", "dns");
      dns.put("address", address);
      services.add(dns);
    }
    return services;
  }

  /** The version asked for, {@code latest} as the newest; 404 for one Nova does not have. */
  private static String version(String requested) {
    if (LATEST.equals(requested)) {
      return VERSIONS.getLast();
    }
    if (!VERSIONS.contains(requested)) {
      throw notFound(requested);
    }
    return requested;
  }

  private static boolean atLeast(String version, String required) {
    return version.compareTo(required) >= 0;
  }

  private static ServiceException notFound(String path) {
    return ServiceException.notFound("InvalidMetadataPath", "Metadata path /openstack/" + path + " was not found.");
  }
}
