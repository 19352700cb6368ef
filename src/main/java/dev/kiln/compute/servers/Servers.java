package dev.kiln.compute.servers;

import static java.util.Objects.requireNonNull;
import static java.util.Objects.requireNonNullElse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.common.ServiceException;
import dev.kiln.compute.catalog.Flavor;
import dev.kiln.compute.catalog.Flavors;
import dev.kiln.compute.catalog.Keypairs;
import dev.kiln.compute.fleet.Fleet;
import dev.kiln.compute.fleet.HostedServers;
import dev.kiln.compute.fleet.Hypervisor;
import dev.kiln.compute.fleet.HypervisorDriver;
import dev.kiln.compute.fleet.HypervisorException;
import dev.kiln.compute.fleet.Resources;
import dev.kiln.compute.fleet.Scheduler;
import dev.kiln.compute.groups.ServerGroups;
import dev.kiln.compute.quotas.ComputeQuotas;
import dev.kiln.compute.servers.Server.Fault;
import dev.kiln.compute.servers.Server.FlavorSnapshot;
import dev.kiln.compute.servers.Server.PluggedPort;
import dev.kiln.compute.servers.store.BlockDeviceStore;
import dev.kiln.compute.servers.store.InstanceActionStore;
import dev.kiln.compute.servers.store.MigrationStore;
import dev.kiln.compute.servers.store.ServerStore;
import dev.kiln.compute.servers.store.ServerTagStore;
import dev.kiln.image.ImageService;
import dev.kiln.network.NetworkService;
import dev.kiln.network.Port;
import dev.kiln.network.Ports;
import dev.kiln.network.SecurityGroup;
import dev.kiln.store.Database;
import dev.kiln.tasks.Task;
import dev.kiln.tasks.TaskHandler;
import dev.kiln.tasks.TaskRunner;
import dev.kiln.volume.VolumeService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Nova servers: create (validated at once, built by a durable {@code server.build} task that
 * schedules, claims, plugs ports and spawns), show, list, rename, metadata and delete.
 *
 * <p>Why over 400 lines: create, build and delete share one set of rollbacks (ports made, volumes
 * reserved, the host claim), kept side by side so that each undo stays next to the step it undoes.
 * The list with its network details is the next piece to move out.
 */
public final class Servers {
  public static final String BUILD_TASK = "server.build";
  public static final String DELETE_TASK = "server.delete";
  /** Rows read at a time while a name filter fills a page. */
  private static final int LIST_CHUNK = 500;
  public static final String NO_VALID_HOST = Scheduler.NO_VALID_HOST;
  private static final Logger LOG = LoggerFactory.getLogger(Servers.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** How long a build waits for a volume it made, as Nova's block_device_allocate_retries (60 × 3 s). */
  private static final Duration VOLUME_WAIT = Duration.ofMinutes(3);

  private final Database db;
  private final Clock clock;
  private final IdGenerator ids;
  private final Fleet fleet;
  private final HypervisorDriver driver;
  private final Flavors flavors;
  private final Keypairs keypairs;
  private final ComputeQuotas quotas;
  private final NetworkService network;
  private final ImageService image;
  private final TaskRunner tasks;
  private final Scheduler scheduler;
  private final ServerGroups groups;
  private final BootDisks bootDisks;
  private final ServerVolumes volumes;
  private final ServerAddresses addresses;
  private final ServerTags tags;
  private volatile ServerLifecycleObserver lifecycle = ServerLifecycleObserver.NONE;

  public Servers(
      Database db,
      Clock clock,
      IdGenerator ids,
      Fleet fleet,
      HypervisorDriver driver,
      Flavors flavors,
      Keypairs keypairs,
      ComputeQuotas quotas,
      NetworkService network,
      ImageService image,
      VolumeService volume,
      TaskRunner tasks) {
    this.db = requireNonNull(db, "db is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.ids = requireNonNull(ids, "ids is null");
    this.fleet = requireNonNull(fleet, "fleet is null");
    this.driver = requireNonNull(driver, "driver is null");
    this.flavors = requireNonNull(flavors, "flavors is null");
    this.keypairs = requireNonNull(keypairs, "keypairs is null");
    this.quotas = requireNonNull(quotas, "quotas is null");
    this.network = requireNonNull(network, "network is null");
    this.image = requireNonNull(image, "image is null");
    this.tasks = requireNonNull(tasks, "tasks is null");
    this.scheduler = new Scheduler(db, fleet);
    this.groups = new ServerGroups(db, clock, ids, quotas);
    this.bootDisks = new BootDisks(image, volume);
    this.volumes = new ServerVolumes(db, volume, VOLUME_WAIT);
    this.addresses = new ServerAddresses(network);
    this.tags = new ServerTags(db, clock, this);
    tasks.register(BUILD_TASK, TaskHandler.withGiveUp(this::build, this::giveUpBuild));
    tasks.register(DELETE_TASK, TaskHandler.withGiveUp(this::finishDelete, this::giveUpDelete));
    fleet.hostedServers(
        host -> new ServerStore(db.sql()).onHost(host).stream()
            .map(r -> new HostedServers.Server(r[0], r[1]))
            .toList());
  }

  /** Who is told of servers becoming ACTIVE after their build, and of servers deleted. */
  public void observeLifecycle(ServerLifecycleObserver observer) {
    this.lifecycle = requireNonNull(observer, "observer is null");
  }

  private void tell(java.util.function.Consumer<ServerLifecycleObserver> event) {
    try {
      event.accept(lifecycle);
    } catch (RuntimeException e) {
      LOG.warn("A server lifecycle observer failed: {}", e.toString());
    }
  }

  /** How Compute attaches volumes through Block Storage. */
  public ServerVolumes volumes() {
    return volumes;
  }

  /** The server, if it exists (whoever owns it). */
  public Optional<Server> find(String id) {
    return new ServerStore(db.sql()).find(id);
  }

  /** Server tags (2.26). */
  public ServerTags tags() {
    return tags;
  }

  /** Server groups, which a create may put its servers in. */
  public ServerGroups groups() {
    return groups;
  }

  /**
   * Nova's scheduler hints beyond the group: {@code same_host} (a host running one of these
   * servers, SameHostFilter) and {@code different_host} (no host running any of them,
   * DifferentHostFilter).
   */
  public record Hints(List<String> sameHost, List<String> differentHost) {
    public static final Hints NONE = new Hints(List.of(), List.of());

    public Hints {
      sameHost = sameHost == null ? List.of() : List.copyOf(sameHost);
      differentHost = differentHost == null ? List.of() : List.copyOf(differentHost);
    }
  }

  /**
   * One entry of a create's {@code networks}: a network (with maybe an address), or a port; {@code
   * tag} is the interface's device tag, or null.
   */
  public record NetworkRequest(String networkId, String portId, String fixedIp, String tag) {
    public NetworkRequest(String networkId, String portId, String fixedIp) {
      this(networkId, portId, fixedIp, null);
    }
  }

  /**
   * What a create asks for.
   *
   * @param networks the requested networks; empty for none
   * @param autoNetwork whether {@code "auto"} was asked for
   */
  public record Spec(
      String name,
      String description,
      String flavorRef,
      String imageRef,
      List<NetworkRequest> networks,
      boolean autoNetwork,
      String keyName,
      Map<String, String> metadata,
      String availabilityZone,
      String userData,
      List<String> securityGroups,
      String groupId,
      int minCount,
      int maxCount,
      List<BootDisks.Mapping> blockDevices,
      Hints hints,
      Server.Attributes attributes,
      List<String> tags) {

    public Spec {
      securityGroups = securityGroups == null ? List.of() : List.copyOf(securityGroups);
      blockDevices = blockDevices == null ? List.of() : List.copyOf(blockDevices);
      hints = hints == null ? Hints.NONE : hints;
      attributes = attributes == null ? Server.Attributes.NONE : attributes;
      tags = tags == null ? List.of() : List.copyOf(new java.util.LinkedHashSet<>(tags));
    }

    /** A request without placement hints (beyond the group) or attributes. */
    public Spec(
        String name,
        String description,
        String flavorRef,
        String imageRef,
        List<NetworkRequest> networks,
        boolean autoNetwork,
        String keyName,
        Map<String, String> metadata,
        String availabilityZone,
        String userData,
        List<String> securityGroups,
        String groupId,
        int minCount,
        int maxCount,
        List<BootDisks.Mapping> blockDevices) {
      this(name, description, flavorRef, imageRef, networks, autoNetwork, keyName, metadata, availabilityZone, userData,
          securityGroups, groupId, minCount, maxCount, blockDevices, null, null, null);
    }

    /** One server, with the project's default security group and no server group. */
    public Spec(
        String name,
        String description,
        String flavorRef,
        String imageRef,
        List<NetworkRequest> networks,
        boolean autoNetwork,
        String keyName,
        Map<String, String> metadata,
        String availabilityZone,
        String userData) {
      this(name, description, flavorRef, imageRef, networks, autoNetwork, keyName, metadata, availabilityZone, userData,
          List.of(), null, 1, 1, List.of());
    }
  }

  /**
   * Filters of a list; null means "any".
   *
   * @param name a regular expression on the name (Nova's)
   * @param ip a regular expression matched from the start of an IPv4 address, fixed or floating
   * @param ip6 the same on IPv6 addresses
   * @param reservationId the servers one create request made
   */
  public record Query(
      boolean allProjects,
      String name,
      String status,
      String host,
      Instant changesSince,
      String projectId,
      String imageId,
      String flavorId,
      String ip,
      String ip6,
      String reservationId,
      TagFilter tags) {

    public Query {
      tags = tags == null ? TagFilter.NONE : tags;
    }

    public Query(
        boolean allProjects, String name, String status, String host, Instant changesSince, String projectId,
        String imageId, String flavorId, String ip, String ip6, String reservationId) {
      this(allProjects, name, status, host, changesSince, projectId, imageId, flavorId, ip, ip6, reservationId, null);
    }

    public Query(boolean allProjects, String name, String status, String host, Instant changesSince) {
      this(allProjects, name, status, host, changesSince, null, null, null, null, null, null, null);
    }

    public Query(
        boolean allProjects, String name, String status, String host, Instant changesSince, String projectId,
        String imageId, String flavorId) {
      this(allProjects, name, status, host, changesSince, projectId, imageId, flavorId, null, null, null, null);
    }
  }

  public Server create(Actor actor, Spec spec) {
    if (actor.projectId() == null) {
      throw ServiceException.invalid("badRequest", "A project-scoped token is needed to create a server.");
    }
    Flavor flavor =
        flavors.find(actor, spec.flavorRef())
            .orElseThrow(() -> ServiceException.invalid("FlavorNotFound", "Flavor " + spec.flavorRef() + " could not be found."));
    if (flavor.disabled()) {
      throw ServiceException.invalid("FlavorNotFound", "Flavor " + spec.flavorRef() + " could not be found.");
    }
    BootDisks.Plan disks = bootDisks.plan(actor, flavor, spec.imageRef(), spec.blockDevices());
    List<NetworkRequest> requested = spec.networks();
    if (spec.autoNetwork()) {
      // As Nova: the one network the project can use (its own or shared, not external); there is
      // no auto-allocated topology to create when there is none.
      List<String> usable =
          network.networks().list(actor).stream().filter(n -> !n.external()).map(n -> n.id()).toList();
      if (usable.size() > 1) {
        throw ServiceException.conflict(
            "NetworkAmbiguous", "Multiple possible networks found, use a Network ID to be more specific.");
      }
      if (usable.isEmpty()) {
        throw ServiceException.invalid(
            "badRequest", "Unable to automatically allocate a network for project " + actor.projectId());
      }
      requested = List.of(new NetworkRequest(usable.getFirst(), null, null));
    }
    Set<String> seenPorts = new HashSet<>();
    List<PluggedPort> userPorts = new ArrayList<>();
    List<Integer> userPortPositions = new ArrayList<>();
    List<String> userPortTags = new ArrayList<>();
    for (int i = 0; i < requested.size(); i++) {
      NetworkRequest n = requested.get(i);
      if (n.portId() != null) {
        Port port;
        try {
          port = network.ports().visible(actor, n.portId());
        } catch (ServiceException e) {
          if (e.kind() != ServiceException.Kind.NOT_FOUND) {
            throw e;
          }
          throw ServiceException.invalid("PortNotFound", "Port id " + n.portId() + " could not be found.");
        }
        if (!port.deviceId().isEmpty() || !seenPorts.add(port.id())) {
          throw ServiceException.conflict("PortInUse", "Port " + port.id() + " is still in use.");
        }
        userPorts.add(new PluggedPort(port.id(), false));
        userPortPositions.add(i);
        userPortTags.add(n.tag());
      } else {
        try {
          network.networks().visible(actor, n.networkId());
        } catch (ServiceException e) {
          if (e.kind() != ServiceException.Kind.NOT_FOUND) {
            throw e;
          }
          throw ServiceException.invalid("NetworkNotFound", "Network " + n.networkId() + " could not be found.");
        }
      }
    }
    if (spec.keyName() != null && keypairs.find(actor.userId(), spec.keyName()).isEmpty()) {
      throw ServiceException.invalid("KeypairNotFound", "Invalid key_name provided.");
    }
    String zone = spec.availabilityZone();
    if (zone != null && !fleet.zoneAvailable(zone)) {
      throw ServiceException.invalid("InvalidInput", "The requested availability zone is not available");
    }
    int count = spec.maxCount();
    if (count > 1 && !userPorts.isEmpty()) {
      throw ServiceException.invalid(
          "badRequest", "Unable to launch multiple instances with a single configured port ID. Please launch your"
              + " instance one by one with different ports.");
    }
    List<String> securityGroups = securityGroupIds(actor, spec.securityGroups());
    Instant now = now();
    String reservationId = "r-" + ids.uuid().substring(0, 8);
    List<Server> made = new ArrayList<>();
    for (int index = 0; index < count; index++) {
      String id = ids.uuid();
      // As Nova's multi_instance_display_name_template: name-1, name-2, ...
      String name = count > 1 ? spec.name() + "-" + (index + 1) : spec.name();
      made.add(
          new Server(
              id, actor.projectId(), actor.userId(), name, spec.description(), Server.BUILD, "scheduling", "building",
              0, null, zone, FlavorSnapshot.of(flavor), disks.bootsFromVolume() ? null : disks.rootImage().id(),
              spec.keyName(), spec.userData(), now, now, null, false, null, null,
              requireNonNullElse(spec.metadata(), Map.of()), List.of(), reservationId, index, spec.attributes()));
    }
    String requestId = InstanceAction.currentRequestId(ids);
    List<NetworkRequest> networks = requested;
    // As Nova's API: the volumes a create names are reserved for their server at once, so no
    // other attach takes them before the build; a create that fails gives them back.
    List<List<BlockDevice>> devices = new ArrayList<>();
    try {
      for (Server server : made) {
        List<BlockDevice> ofServer = new ArrayList<>();
        devices.add(ofServer); // before reserving, so a reservation that fails midway is given back too
        reserveBlockDevices(actor, server, disks, now, ofServer);
      }
      db.inTransaction(
          sql -> {
            // Counted and inserted in one transaction under the project's quota lock.
            quotas.checkMetadataItems(sql, actor.projectId(), made.getFirst().metadata().size());
            quotas.reserveForBoot(sql, actor.projectId(), made.size(), flavor.vcpus(), flavor.ramMb());
            ServerStore store = new ServerStore(sql);
            BlockDeviceStore deviceStore = new BlockDeviceStore(sql);
            for (int n = 0; n < made.size(); n++) {
              Server server = made.get(n);
              store.insert(server);
              for (int i = 0; i < userPorts.size(); i++) {
                store.addPort(server.id(), userPorts.get(i), userPortPositions.get(i), userPortTags.get(i));
              }
              devices.get(n).forEach(deviceStore::insert);
              ServerTagStore tagStore = new ServerTagStore(sql);
              spec.tags().forEach(t -> tagStore.add(server.id(), t));
              if (spec.groupId() != null) {
                groups.join(sql, actor, spec.groupId(), server.id(), now);
              }
              new InstanceActionStore(sql)
                  .insert(server.id(), requestId, "create", actor.projectId(), actor.userId(), now);
              tasks.submit(sql, BUILD_TASK, buildPayload(server.id(), networks, securityGroups, spec.hints()), now, 3);
            }
            return null;
          });
    } catch (RuntimeException e) {
      devices.stream().flatMap(List::stream).filter(d -> d.attachmentId() != null)
          .forEach(d -> volumes.unreserve(actor, d.attachmentId()));
      throw e;
    }
    tasks.wake();
    return get(made.getFirst().id());
  }

  /**
   * Adds the server's block device mappings to {@code into}, reserving each existing volume for
   * the server as it goes.
   */
  private void reserveBlockDevices(
      Actor actor, Server server, BootDisks.Plan disks, Instant now, List<BlockDevice> into) {
    for (BootDisks.PlannedVolume v : disks.volumes()) {
      BootDisks.Mapping m = v.mapping();
      String attachmentId = null;
      if (v.existing() != null) {
        attachmentId = volumes.reserve(actor, v.existing().id(), server.id());
      }
      into.add(
          new BlockDevice(
              ids.uuid(), server.id(), m.bootIndex(), m.source(), m.uuid(),
              v.existing() == null ? null : v.existing().id(), v.size(), m.volumeType(), v.deviceName(),
              m.deleteOnTermination(), m.tag(), attachmentId, BlockDevice.State.ATTACHING, now));
    }
  }

  /** The volumes of several servers (a page of a list), by server id. */
  public Map<String, List<BlockDevice>> blockDevices(List<String> serverIds) {
    return new BlockDeviceStore(db.sql()).ofServers(serverIds);
  }

  /** The server's volumes, boot volume first. */
  public List<BlockDevice> blockDevices(String serverId) {
    return new BlockDeviceStore(db.sql()).ofServer(serverId);
  }

  /** What the build task needs beyond the server's row: the networks to make ports on. */
  private static String buildPayload(String id, List<NetworkRequest> requested, List<String> securityGroups, Hints hints) {
    ObjectNode payload = JSON.createObjectNode().put("server_id", id);
    hints.sameHost().forEach(payload.putArray("same_host")::add);
    hints.differentHost().forEach(payload.putArray("different_host")::add);
    ArrayNode nets = payload.putArray("networks");
    for (int i = 0; i < requested.size(); i++) {
      NetworkRequest n = requested.get(i);
      if (n.portId() == null) {
        nets.addObject().put("position", i).put("network_id", n.networkId()).put("fixed_ip", n.fixedIp()).put("tag", n.tag());
      }
    }
    ArrayNode groups = payload.putArray("security_groups");
    securityGroups.forEach(groups::add);
    return payload.toString();
  }

  /**
   * The ids of the security groups a create names (by name or id, as Nova lets it) for the ports
   * Compute creates; empty for the project's default. The user's own ports keep their groups.
   */
  private List<String> securityGroupIds(Actor actor, List<String> requested) {
    if (requested.isEmpty()) {
      return List.of();
    }
    Actor member = new Actor(actor.projectId(), actor.userId(), false);
    List<SecurityGroup> visible = network.securityGroups().list(member, actor.projectId());
    List<String> result = new ArrayList<>();
    for (String wanted : requested) {
      List<SecurityGroup> matches =
          visible.stream().filter(g -> g.id().equals(wanted) || g.name().equals(wanted)).toList();
      if (matches.isEmpty()) {
        throw ServiceException.invalid("SecurityGroupNotFound", "Security group " + wanted + " not found.");
      }
      if (matches.size() > 1) {
        throw ServiceException.conflict(
            "NoUniqueMatch", "Multiple security groups found matching '" + wanted + "'. Use an ID to be more specific.");
      }
      if (!result.contains(matches.getFirst().id())) {
        result.add(matches.getFirst().id());
      }
    }
    return result;
  }

  /** Schedules, claims, plugs the ports and spawns; the server ends ACTIVE, or ERROR with a fault. */
  public String build(Task task) throws Exception {
    JsonNode payload = JSON.readTree(task.payload());
    String id = payload.path("server_id").asText();
    Server server = new ServerStore(db.sql()).find(id).orElse(null);
    if (server == null || !server.status().equals(Server.BUILD)) {
      return null; // deleted meanwhile, or an earlier attempt finished
    }
    Actor owner = new Actor(server.projectId(), server.userId(), false);
    Resources resources = server.flavor().resources(server.imageId() == null);
    List<String> securityGroups = new ArrayList<>();
    payload.path("security_groups").forEach(g -> securityGroups.add(g.asText()));
    List<String> created = new ArrayList<>();
    try {
      Scheduler.Request placement = Scheduler.Request.boot(id, resources, server.availabilityZone());
      Hypervisor host = place(placement, payload).orElse(null);
      if (host == null) {
        fail(server, new Fault(500, scheduler.noValidHostReason(placement), null, now()), created);
        return null;
      }
      new ServerStore(db.sql()).setHost(id, host.hostname(), host.availabilityZone(), now());
      new ServerStore(db.sql()).setTaskState(id, "networking", now());
      String deviceOwner = "compute:" + host.availabilityZone();
      // Ports an earlier attempt created are recorded; create only the missing ones.
      Set<Integer> present = new HashSet<>(new ServerStore(db.sql()).portPositions(id));
      for (JsonNode n : payload.path("networks")) {
        int position = n.path("position").asInt();
        if (present.contains(position)) {
          continue;
        }
        String fixedIp = n.path("fixed_ip").isTextual() ? n.path("fixed_ip").asText() : null;
        Port port =
            network.ports().create(
                owner,
                new Ports.Spec(
                    null, n.path("network_id").asText(), "", null, null, null,
                    fixedIp == null ? null : List.of(new Ports.AddressRequest(null, fixedIp)), null, null,
                    securityGroups.isEmpty() ? null : securityGroups, null, null, null, null));
        created.add(port.id());
        String tag = n.path("tag").isTextual() ? n.get("tag").asText() : null;
        whileNotDeleting(id, sql -> {
          new ServerStore(sql).addPort(id, new PluggedPort(port.id(), true), position, tag);
          return null;
        });
      }
      Server current = get(id);
      for (PluggedPort p : current.ports()) {
        // Plugged only while no delete has begun, so the delete task sees every port it must give back.
        whileNotDeleting(id, sql -> network.ports().plug(p.portId(), id, deviceOwner, host.hostname()));
      }
      List<BlockDevice> devices = blockDevices(id);
      if (!devices.isEmpty()) {
        new ServerStore(db.sql()).setTaskState(id, "block_device_mapping", now());
        for (BlockDevice d : devices) {
          volumes.connect(owner, d, host.hostname());
        }
        devices = blockDevices(id);
      }
      new ServerStore(db.sql()).setTaskState(id, "spawning", now());
      driver.spawn(
          new HypervisorDriver.SpawnRequest(
              new HypervisorDriver.InstanceRef(id, host.hostname()), current.name(), resources, current.imageId(),
              current.ports().stream().map(PluggedPort::portId).toList(),
              devices.stream().map(BlockDevice::volumeId).toList()));
      Instant now = now();
      if (!new ServerStore(db.sql()).transition(id, Server.BUILD, Server.ACTIVE, "active", 1, null, now, now)) {
        // Deleted while building: undo what this attempt did.
        cleanUp(id, current.ports(), host.hostname(), devices);
      } else {
        tell(o -> o.active(id));
      }
    } catch (HypervisorException e) {
      LOG.info("Server {} failed to build: {}", id, e.getMessage());
      fail(server, new Fault(500, e.getMessage(), null, now()), created);
    } catch (ServiceException e) {
      LOG.info("Server {} failed to build: {}", id, e.getMessage());
      fail(server, new Fault(e.kind().httpStatus(), e.getMessage(), null, now()), created);
    } catch (RuntimeException e) {
      if (new ServerStore(db.sql()).find(id).isPresent()) {
        throw e; // the runner retries; the steps done are recorded or repeatable
      }
      // Deleted while building (recording a port failed): give back what this attempt made.
      fleet.release(id);
      for (String portId : created) {
        releasePort(server, new PluggedPort(portId, true));
      }
    }
    return null;
  }

  /**
   * Places a boot with its hints: {@code different_host} rules out the hosts of those servers,
   * {@code same_host} allows only theirs (each tried in turn, as the scheduler weighs them).
   */
  private Optional<Hypervisor> place(Scheduler.Request boot, JsonNode payload) {
    Set<String> sameHosts = new java.util.TreeSet<>();
    payload.path("same_host").forEach(s -> find(s.asText()).map(Server::host).ifPresent(sameHosts::add));
    Set<String> excluded = new HashSet<>(boot.excludedHosts());
    payload.path("different_host").forEach(s -> find(s.asText()).map(Server::host).ifPresent(excluded::add));
    if (!payload.path("same_host").isArray() || payload.path("same_host").isEmpty()) {
      return scheduler.selectAndClaim(
          new Scheduler.Request(boot.consumerId(), boot.serverId(), boot.resources(), boot.availabilityZone(), excluded, null));
    }
    for (String host : sameHosts) {
      Optional<Hypervisor> placed =
          scheduler.selectAndClaim(
              new Scheduler.Request(boot.consumerId(), boot.serverId(), boot.resources(), boot.availabilityZone(), excluded, host));
      if (placed.isPresent()) {
        return placed;
      }
    }
    return Optional.empty();
  }

  /**
   * After the build task's last attempt failed unexpectedly (not a NoValidHost or a driver fault,
   * which end the build themselves): the server leaves BUILD for ERROR with the reason, and the
   * claim and ports an attempt took are given back, so nothing stays building forever.
   */
  void giveUpBuild(Task task, String error) {
    String id;
    try {
      id = JSON.readTree(task.payload()).path("server_id").asText();
    } catch (java.io.IOException e) {
      throw new IllegalStateException("unreadable build task payload", e);
    }
    new ServerStore(db.sql())
        .find(id)
        .filter(s -> s.status().equals(Server.BUILD))
        .ifPresent(s -> fail(s, new Fault(500, "Build of instance " + id + " aborted: " + error, null, now()), List.of()));
  }

  /** Puts a building server in ERROR and gives back what it held. */
  private void fail(Server server, Fault fault, List<String> createdPorts) {
    fleet.release(server.id());
    Server current = new ServerStore(db.sql()).find(server.id()).orElse(null);
    List<PluggedPort> ports = current == null ? List.of() : current.ports();
    Set<String> handled = new HashSet<>();
    for (PluggedPort p : ports) {
      handled.add(p.portId());
      releasePort(server, p);
    }
    for (String portId : createdPorts) {
      if (!handled.contains(portId)) {
        releasePort(server, new PluggedPort(portId, true));
      }
    }
    // As Nova's build cleanup: volumes are detached, and deleted when they were to go with the server.
    List<BlockDevice> devices = blockDevices(server.id());
    for (BlockDevice d : devices) {
      volumes.release(system(server), d, d.deleteOnTermination());
    }
    db.inTransaction(
        sql -> {
          ServerStore store = new ServerStore(sql);
          store.removeComputePorts(server.id());
          devices.forEach(d -> new BlockDeviceStore(sql).delete(d.id()));
          store.fail(server.id(), fault, now());
          return null;
        });
  }

  /**
   * Runs {@code binding} (plugging a port into the server, recording one) while holding the
   * server's row, if the server exists and no delete has begun; else throws the server's 404 and
   * binds nothing. A delete marks the server through the same row, so its task sees every binding
   * made before it and none after: nothing is left bound to a server that is gone.
   */
  public <T> T whileNotDeleting(String serverId, java.util.function.Function<dev.kiln.store.Sql, T> binding) {
    return db.inTransaction(
        sql -> {
          String taskState = new ServerStore(sql).lockForBinding(serverId).orElseThrow(() -> notFound(serverId));
          if (taskState.equals("deleting")) {
            throw notFound(serverId);
          }
          return binding.apply(sql);
        });
  }

  /** Gives a port back: Compute's own is deleted, a user's is unplugged and kept. */
  public void releasePort(Server server, PluggedPort p) {
    try {
      if (p.ownedByCompute()) {
        network.ports().delete(new Actor(server.projectId(), server.userId(), true), p.portId());
      } else {
        Port port = network.ports().visible(new Actor(server.projectId(), server.userId(), true), p.portId());
        if (port.deviceId().equals(server.id())) {
          network.ports().unplug(p.portId());
        }
      }
    } catch (ServiceException e) {
      if (e.kind() != ServiceException.Kind.NOT_FOUND) {
        throw e;
      }
    }
  }

  /**
   * Gives back the ports of a server being deleted. The user's ports survive it, so their floating
   * IPs are disassociated first, as Nova does on delete (Compute's own ports take theirs with them
   * when Networking deletes them).
   */
  private void releasePortsOfDeleted(Server server, List<PluggedPort> ports) {
    List<String> userPorts = ports.stream().filter(p -> !p.ownedByCompute()).map(PluggedPort::portId).toList();
    if (!userPorts.isEmpty()) {
      // Only the ports still plugged into this server: one that has moved on keeps its floating IPs.
      network.floatingIps().disassociatePorts(
          network.ports().byIds(userPorts).stream().filter(p -> p.deviceId().equals(server.id())).map(Port::id).toList());
    }
    for (PluggedPort p : ports) {
      releasePort(server, p);
    }
  }

  /**
   * Gives a port back for a server that may be gone already: Compute's own is deleted, a user's
   * is unplugged if it is still this server's.
   */
  public void releasePort(String serverId, PluggedPort p) {
    Actor service = new Actor(null, null, true);
    try {
      if (p.ownedByCompute()) {
        network.ports().delete(service, p.portId());
      } else if (network.ports().visible(service, p.portId()).deviceId().equals(serverId)) {
        network.ports().unplug(p.portId());
      }
    } catch (ServiceException e) {
      if (e.kind() != ServiceException.Kind.NOT_FOUND) {
        throw e;
      }
    }
  }

  /** Compute acting for the server's owner with the rights Nova's service user has. */
  public static Actor system(Server server) {
    return new Actor(server.projectId(), server.userId(), true);
  }

  private void cleanUp(String id, List<PluggedPort> ports, String host, List<BlockDevice> devices) {
    Server ghost =
        new Server(
            id, "", "", "", null, Server.ERROR, null, "error", 0, host, null,
            new FlavorSnapshot("", "", 0, 0, 0, 0, 0, Map.of()), null, null, null, now(), now(), null, false, null, null,
            Map.of(), List.of(), "", 0);
    try {
      driver.destroy(new HypervisorDriver.InstanceRef(id, host));
    } catch (HypervisorException e) {
      LOG.warn("Could not destroy deleted server {}: {}", id, e.getMessage());
    }
    releasePortsOfDeleted(ghost, ports);
    for (BlockDevice d : devices) {
      volumes.release(system(ghost), d, d.deleteOnTermination());
    }
    fleet.release(id);
  }

  /**
   * An address of a server, from one of its plugged ports, as Nova's {@code addresses} shows it.
   *
   * @param type {@link #FIXED} or {@link #FLOATING} (Nova's {@code OS-EXT-IPS:type})
   */
  public record Address(String networkName, int version, String addr, String mac, String type) {
    public static final String FIXED = "fixed";
    public static final String FLOATING = "floating";

    /** A fixed address. */
    public Address(String networkName, int version, String addr, String mac) {
      this(networkName, version, addr, mac, FIXED);
    }
  }



  /**
   * Nova's {@code host_status} (2.16): UP, DOWN, MAINTENANCE (the host's compute service is
   * disabled), or "" for a server that has no host.
   */
  public String hostStatus(Server server) {
    if (server.host() == null) {
      return "";
    }
    if (!fleet.isKnown(server.host())) {
      return "UNKNOWN";
    }
    if (!fleet.isUp(server.host())) {
      return "DOWN";
    }
    return fleet.isEnabled(server.host()) ? "UP" : "MAINTENANCE";
  }

  public Server get(String id) {
    return new ServerStore(db.sql()).find(id).orElseThrow(() -> notFound(id));
  }

  public Server visible(Actor actor, String id) {
    return new ServerStore(db.sql()).find(id).filter(s -> actor.owns(s.projectId())).orElseThrow(() -> notFound(id));
  }

  /**
   * Nova's tag filters (2.26): servers with all of {@code all}, with any of {@code any}, without
   * all of {@code notAll} (some may be there), without any of {@code notAny}. Empty means no
   * condition.
   */
  public record TagFilter(List<String> all, List<String> any, List<String> notAll, List<String> notAny) {
    public static final TagFilter NONE = new TagFilter(List.of(), List.of(), List.of(), List.of());

    public TagFilter {
      all = List.copyOf(all);
      any = List.copyOf(any);
      notAll = List.copyOf(notAll);
      notAny = List.copyOf(notAny);
    }

    boolean isEmpty() {
      return all.isEmpty() && any.isEmpty() && notAll.isEmpty() && notAny.isEmpty();
    }

    boolean matches(List<String> tags) {
      return tags.containsAll(all)
          && (any.isEmpty() || any.stream().anyMatch(tags::contains))
          && (notAll.isEmpty() || !tags.containsAll(notAll))
          && notAny.stream().noneMatch(tags::contains);
    }
  }

  /** One page of a list; {@code nextMarker} is null on the last page. */
  public record Page(List<Server> servers, String nextMarker) {}

  /**
   * The actor's project's servers (all for an admin asking), newest first, filtered, from after
   * {@code marker} (if given), at most {@code limit} (if given). SQL filters and pages (a keyset
   * from the marker's row); the name, a regular expression as in Nova, is matched here over
   * chunks read until the page is full.
   */
  public Page list(Actor actor, Query query, Integer limit, String marker) {
    if (actor.projectId() == null && !(actor.admin() && query.allProjects())) {
      // A token with no project (domain-scoped, even an admin's) sees no project's servers unless
      // it asks for all of them: Nova filters on the token's project, which is none.
      return new Page(List.of(), null);
    }
    Pattern name = regex(query.name());
    Pattern ip = regex(query.ip());
    Pattern ip6 = regex(query.ip6());
    boolean byAddress = ip != null || ip6 != null;
    TagFilter tagFilter = query.tags();
    ServerStore store = new ServerStore(db.sql());
    String scope = actor.admin() && query.allProjects() ? null : actor.projectId();
    String asked = actor.admin() ? query.projectId() : null;
    ServerStore.Cursor after = null;
    if (marker != null) {
      after =
          store.cursorOf(marker, actor.admin() ? null : actor.projectId())
              .orElseThrow(() -> ServiceException.invalid("MarkerNotFound", "marker [" + marker + "] not found"));
    }
    if ((limit != null && limit == 0) || (scope != null && asked != null && !scope.equals(asked))) {
      return new Page(List.of(), null);
    }
    ServerStore.ListFilter filter =
        new ServerStore.ListFilter(
            scope != null ? scope : asked,
            query.status() == null ? null : query.status().toUpperCase(Locale.ROOT),
            query.host(), query.changesSince(), query.imageId(), query.flavorId(), query.reservationId());
    int wanted = limit == null ? Integer.MAX_VALUE : limit;
    // One row more than the page tells whether there is a next page; with a name or an address to
    // match, read in bigger chunks, as many rows may not match.
    int chunk =
        limit == null ? Integer.MAX_VALUE
            : name == null && !byAddress && tagFilter.isEmpty() ? limit + 1 : Math.max(limit + 1, LIST_CHUNK);
    List<Server> matched = new ArrayList<>();
    boolean more = false;
    while (!more) {
      List<Server> rows = store.page(filter, after, chunk);
      List<Server> candidates = rows;
      if (name != null) {
        Pattern n = name;
        candidates = candidates.stream().filter(s -> n.matcher(s.name()).find()).toList();
      }
      if (!tagFilter.isEmpty()) {
        Map<String, List<String>> chunkTags = tags.of(candidates.stream().map(Server::id).toList());
        candidates = candidates.stream().filter(s -> tagFilter.matches(chunkTags.getOrDefault(s.id(), List.of()))).toList();
      }
      if (byAddress) {
        // A chunk's addresses come from Networking in one lookup, as a page's do.
        candidates = addresses.matching(store.complete(candidates), ip, ip6);
      }
      for (Server s : candidates) {
        if (matched.size() == wanted) {
          more = true;
          break;
        }
        matched.add(s);
      }
      if (rows.size() < chunk) {
        break;
      }
      after = ServerStore.Cursor.of(rows.getLast());
    }
    List<Server> page = byAddress ? matched : store.complete(matched);
    String next = limit != null && more && !page.isEmpty() ? page.getLast().id() : null;
    return new Page(page, next);
  }

  /** A filter's regular expression; one that does not compile is matched as plain text. */
  private static Pattern regex(String filter) {
    if (filter == null) {
      return null;
    }
    try {
      return Pattern.compile(filter);
    } catch (PatternSyntaxException e) {
      return Pattern.compile(Pattern.quote(filter));
    }
  }

  /**
   * What a page of servers shows from Networking, by server id: the addresses, port by port in
   * boot order (each fixed address followed by its floating IPs), and the names of the ports'
   * security groups (each once, sorted), as Nova shows a server's {@code addresses} and {@code
   * security_groups}.
   */
  public record NetworkDetails(Map<String, List<Address>> addresses, Map<String, List<String>> securityGroups) {}

  /**
   * The Networking details of these servers (a page of a list): one lookup for all their ports,
   * one for their floating IPs, then one per network and security group for its name.
   */
  public NetworkDetails networkDetails(List<Server> servers) {
    return addresses.of(servers);
  }

  public Server update(Actor actor, String id, String name, String description, boolean setDescription) {
    return update(actor, id, name, description, setDescription, null);
  }

  /**
   * Renames the server, sets its description, and (when {@code attributes} is given) its access
   * addresses and disk config, all in one commit.
   */
  public Server update(
      Actor actor, String id, String name, String description, boolean setDescription, Server.Attributes attributes) {
    Server old = visible(actor, id);
    Instant now = now();
    db.inTransaction(
        sql -> {
          ServerStore store = new ServerStore(sql);
          store.rename(id, requireNonNullElse(name, old.name()), setDescription ? description : old.description(), now);
          if (attributes != null) {
            store.setAttributes(id, attributes, now);
          }
          return null;
        });
    return get(id);
  }

  /** Sets metadata: {@code replace} drops the keys not given (PUT), else they are kept (POST). */
  public Map<String, String> setMetadata(Actor actor, String id, Map<String, String> metadata, boolean replace) {
    Server old = visible(actor, id);
    Map<String, String> merged = new LinkedHashMap<>(replace ? Map.of() : old.metadata());
    merged.putAll(metadata);
    db.inTransaction(
        sql -> {
          quotas.checkMetadataItems(sql, old.projectId(), merged.size());
          new ServerStore(sql).replaceMetadata(id, merged);
          new ServerStore(sql).touch(id, now());
          return null;
        });
    return get(id).metadata();
  }

  public void deleteMetadataKey(Actor actor, String id, String key) {
    Server old = visible(actor, id);
    if (!old.metadata().containsKey(key)) {
      throw ServiceException.notFound("MetadataItemNotFound", "Metadata item was not found");
    }
    Map<String, String> remaining = new LinkedHashMap<>(old.metadata());
    remaining.remove(key);
    db.inTransaction(
        sql -> {
          new ServerStore(sql).replaceMetadata(id, remaining);
          new ServerStore(sql).touch(id, now());
          return null;
        });
  }

  /**
   * Deletes a server, as Nova does, in the background: the server shows task state {@code
   * deleting} until a durable {@code server.delete} task has destroyed it on its host, unplugged
   * the user's ports (they survive), deleted Compute's ports, released the claim and removed the
   * record. A locked server is only deleted by an admin; deleting twice is harmless.
   */
  public void delete(Actor actor, String id) {
    Server server = visible(actor, id);
    if (server.locked() && !actor.admin()) {
      throw ServiceException.conflict("InstanceIsLocked", "Instance " + id + " is locked");
    }
    Instant now = now();
    boolean submitted =
        db.inTransaction(
            sql -> {
              if (!new ServerStore(sql).markDeleting(id, now)) {
                return false; // gone, or a delete is under way
              }
              tasks.submit(sql, DELETE_TASK, JSON.createObjectNode().put("server_id", id).toString(), now, 5);
              new InstanceActionStore(sql)
                  .insert(id, InstanceAction.currentRequestId(ids), "delete", server.projectId(), actor.userId(), now);
              return true;
            });
    if (submitted) {
      tasks.wake();
    }
  }

  /** The {@code server.delete} task; safe to repeat. */
  public String finishDelete(Task task) throws Exception {
    String id = JSON.readTree(task.payload()).path("server_id").asText();
    Set<String> released = new HashSet<>();
    String destroyedOn = null;
    while (true) {
      Server server = new ServerStore(db.sql()).find(id).orElse(null);
      if (server == null) {
        return null;
      }
      if (server.host() != null && !server.host().equals(destroyedOn)) {
        try {
          driver.destroy(new HypervisorDriver.InstanceRef(id, server.host()));
        } catch (HypervisorException e) {
          LOG.info("Server {} failed to delete: {}", id, e.getMessage());
          new ServerStore(db.sql()).setError(id, new Fault(500, e.getMessage(), null, now()), now());
          return null;
        }
        destroyedOn = server.host();
      }
      List<PluggedPort> ports = server.ports().stream().filter(p -> !released.contains(p.portId())).toList();
      releasePortsOfDeleted(server, ports);
      ports.forEach(p -> released.add(p.portId()));
      for (BlockDevice d : blockDevices(id)) {
        if (released.add("device:" + d.id() + ":" + d.attachmentId())) {
          volumes.release(system(server), d, d.deleteOnTermination());
        }
      }
      releaseMoveClaims(db, fleet, id, now());
      fleet.release(id);
      String host = destroyedOn;
      // Under the server's row, which every binding takes: if nothing was bound since the reads
      // above, the server goes; else the loop gives back what was (a build or an attach that got
      // its binding in just before the delete began).
      boolean gone =
          db.inTransaction(
              sql -> {
                ServerStore store = new ServerStore(sql);
                if (store.lockForBinding(id).isEmpty()) {
                  return true;
                }
                Server again = store.find(id).orElseThrow();
                boolean settled =
                    again.ports().stream().allMatch(p -> released.contains(p.portId()))
                        && new BlockDeviceStore(sql).ofServer(id).stream()
                            .allMatch(d -> released.contains("device:" + d.id() + ":" + d.attachmentId()))
                        && (again.host() == null || again.host().equals(host));
                if (settled) {
                  store.delete(id);
                }
                return settled;
              });
      if (gone) {
        fleet.release(id); // a claim a racing build took after the release above
        tell(o -> o.deleted(id));
        return null;
      }
    }
  }

  /**
   * After the delete task's last attempt failed unexpectedly: the server is left in ERROR with the
   * reason, as Nova leaves a server whose delete failed, so the user sees it and may delete again.
   */
  void giveUpDelete(Task task, String error) {
    try {
      String id = JSON.readTree(task.payload()).path("server_id").asText();
      new ServerStore(db.sql()).setError(id, new Fault(500, "Delete of instance " + id + " failed: " + error, null, now()), now());
    } catch (java.io.IOException e) {
      throw new IllegalStateException("unreadable delete task payload", e);
    }
  }

  /**
   * For a server being deleted: releases the destination claims of its unfinished moves. A move
   * waiting to be verified counts as confirmed (Nova confirms a resize when the server is
   * deleted), others end in error. Called by the delete task; safe to repeat.
   */
  private static void releaseMoveClaims(Database db, Fleet fleet, String serverId, Instant now) {
    MigrationStore store = new MigrationStore(db.sql());
    for (Migration m : store.unfinished(serverId)) {
      fleet.release(m.uuid());
      if (!store.advance(m.uuid(), Migration.FINISHED, Migration.CONFIRMED, now)) {
        store.fail(m.uuid(), now);
      }
    }
  }

  public static ServiceException notFound(String id) {
    return ServiceException.notFound("InstanceNotFound", "Instance " + id + " could not be found.");
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
