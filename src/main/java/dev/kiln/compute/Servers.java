package dev.kiln.compute;

import static java.util.Objects.requireNonNull;
import static java.util.Objects.requireNonNullElse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.common.ServiceException;
import dev.kiln.compute.Server.Fault;
import dev.kiln.compute.Server.FlavorSnapshot;
import dev.kiln.compute.Server.PluggedPort;
import dev.kiln.compute.store.InstanceActionStore;
import dev.kiln.compute.store.ServerStore;
import dev.kiln.image.Image;
import dev.kiln.image.ImageService;
import dev.kiln.network.NetworkService;
import dev.kiln.network.Port;
import dev.kiln.network.Ports;
import dev.kiln.store.Database;
import dev.kiln.tasks.Task;
import dev.kiln.tasks.TaskRunner;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Nova servers: create (validated at once, built by a durable {@code server.build} task that
 * schedules, claims, plugs ports and spawns), show, list, rename, metadata and delete.
 */
public final class Servers {
  static final String BUILD_TASK = "server.build";
  static final String DELETE_TASK = "server.delete";
  public static final String NO_VALID_HOST = "No valid host was found. There are not enough hosts available.";
  private static final Logger LOG = LoggerFactory.getLogger(Servers.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Database db;
  private final Clock clock;
  private final IdGenerator ids;
  private final ComputeService compute;
  private final NetworkService network;
  private final ImageService image;
  private final TaskRunner tasks;
  private final Scheduler scheduler;

  public Servers(
      Database db,
      Clock clock,
      IdGenerator ids,
      ComputeService compute,
      NetworkService network,
      ImageService image,
      TaskRunner tasks) {
    this.db = requireNonNull(db, "db is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.ids = requireNonNull(ids, "ids is null");
    this.compute = requireNonNull(compute, "compute is null");
    this.network = requireNonNull(network, "network is null");
    this.image = requireNonNull(image, "image is null");
    this.tasks = requireNonNull(tasks, "tasks is null");
    this.scheduler = new Scheduler(db, compute.fleet());
    tasks.register(BUILD_TASK, this::build);
    tasks.register(DELETE_TASK, this::finishDelete);
    compute.fleet().hostedServers(
        host -> new ServerStore(db.sql()).onHost(host).stream()
            .map(r -> new HostedServers.Server(r[0], r[1]))
            .toList());
  }

  /** One entry of a create's {@code networks}: a network (with maybe an address), or a port. */
  public record NetworkRequest(String networkId, String portId, String fixedIp) {}

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
      String userData) {}

  /** Filters of a list; null means "any". */
  public record Query(
      boolean allProjects,
      String name,
      String status,
      String host,
      Instant changesSince,
      String projectId,
      String imageId,
      String flavorId) {

    public Query(boolean allProjects, String name, String status, String host, Instant changesSince) {
      this(allProjects, name, status, host, changesSince, null, null, null);
    }
  }

  public Server create(Actor actor, Spec spec) {
    if (actor.projectId() == null) {
      throw ServiceException.invalid("badRequest", "A project-scoped token is needed to create a server.");
    }
    Flavor flavor =
        compute.flavors().find(actor, spec.flavorRef())
            .orElseThrow(() -> ServiceException.invalid("FlavorNotFound", "Flavor " + spec.flavorRef() + " could not be found."));
    if (flavor.disabled()) {
      throw ServiceException.invalid("FlavorNotFound", "Flavor " + spec.flavorRef() + " could not be found.");
    }
    if (spec.imageRef() == null || spec.imageRef().isEmpty()) {
      throw ServiceException.invalid("badRequest", "Block Device Mapping is Invalid: Boot sequence for the instance and image/block device mapping combination is not valid.");
    }
    Image img;
    try {
      img = image.images().visible(actor, spec.imageRef());
    } catch (ServiceException e) {
      if (e.kind() != ServiceException.Kind.NOT_FOUND) {
        throw e;
      }
      throw ServiceException.invalid("ImageNotFound", "Image " + spec.imageRef() + " could not be found.");
    }
    if (!img.bootable()) {
      throw ServiceException.invalid("ImageNotActive", "Image " + img.id() + " is not active.");
    }
    if (img.minRam() > flavor.ramMb()) {
      throw ServiceException.invalid("FlavorMemoryTooSmall", "Flavor's memory is too small for requested image.");
    }
    if (img.minDisk() > flavor.diskGb()) {
      throw ServiceException.invalid("FlavorDiskSmallerThanMinDisk", "Flavor's disk is too small for requested image.");
    }
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
    if (spec.keyName() != null && compute.keypairs().find(actor.userId(), spec.keyName()).isEmpty()) {
      throw ServiceException.invalid("KeypairNotFound", "Invalid key_name provided.");
    }
    String zone = spec.availabilityZone();
    if (zone != null && !compute.fleet().zoneAvailable(zone)) {
      throw ServiceException.invalid("InvalidInput", "The requested availability zone is not available");
    }
    Instant now = now();
    String id = ids.uuid();
    Server server =
        new Server(
            id, actor.projectId(), actor.userId(), spec.name(), spec.description(), Server.BUILD, "scheduling",
            "building", 0, null, zone, FlavorSnapshot.of(flavor), img.id(), spec.keyName(), spec.userData(), now, now,
            null, false, null, null, requireNonNullElse(spec.metadata(), Map.of()), List.of());
    ObjectNode payload = JSON.createObjectNode().put("server_id", id);
    ArrayNode nets = payload.putArray("networks");
    for (int i = 0; i < requested.size(); i++) {
      NetworkRequest n = requested.get(i);
      if (n.portId() == null) {
        nets.addObject().put("position", i).put("network_id", n.networkId()).put("fixed_ip", n.fixedIp());
      }
    }
    db.inTransaction(
        sql -> {
          // Counted and inserted in one transaction under the project's quota lock.
          compute.quotas().checkMetadataItems(sql, actor.projectId(), server.metadata().size());
          compute.quotas().reserveForBoot(sql, actor.projectId(), 1, flavor.vcpus(), flavor.ramMb());
          ServerStore store = new ServerStore(sql);
          store.insert(server);
          for (int i = 0; i < userPorts.size(); i++) {
            store.addPort(id, userPorts.get(i), userPortPositions.get(i));
          }
          new InstanceActionStore(sql)
              .insert(id, InstanceAction.currentRequestId(ids), "create", actor.projectId(), actor.userId(), now);
          return tasks.submit(sql, BUILD_TASK, payload.toString(), now, 3);
        });
    tasks.wake();
    return get(id);
  }

  /** Schedules, claims, plugs the ports and spawns; the server ends ACTIVE, or ERROR with a fault. */
  String build(Task task) throws Exception {
    JsonNode payload = JSON.readTree(task.payload());
    String id = payload.path("server_id").asText();
    Server server = new ServerStore(db.sql()).find(id).orElse(null);
    if (server == null || !server.status().equals(Server.BUILD)) {
      return null; // deleted meanwhile, or an earlier attempt finished
    }
    Actor owner = new Actor(server.projectId(), server.userId(), false);
    Resources resources = server.flavor().resources(false);
    List<String> created = new ArrayList<>();
    try {
      Hypervisor host =
          scheduler.selectAndClaim(Scheduler.Request.boot(id, resources, server.availabilityZone())).orElse(null);
      if (host == null) {
        fail(server, new Fault(500, NO_VALID_HOST, null, now()), created);
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
                    fixedIp == null ? null : List.of(new Ports.AddressRequest(null, fixedIp)), null, null, null,
                    null, null, null, null));
        created.add(port.id());
        new ServerStore(db.sql()).addPort(id, new PluggedPort(port.id(), true), position);
      }
      Server current = get(id);
      for (PluggedPort p : current.ports()) {
        network.ports().plug(p.portId(), id, deviceOwner, host.hostname());
      }
      new ServerStore(db.sql()).setTaskState(id, "spawning", now());
      compute.driver().spawn(
          new HypervisorDriver.SpawnRequest(
              new HypervisorDriver.InstanceRef(id, host.hostname()), current.name(), resources, current.imageId(),
              current.ports().stream().map(PluggedPort::portId).toList(), List.of()));
      Instant now = now();
      if (!new ServerStore(db.sql()).transition(id, Server.BUILD, Server.ACTIVE, "active", 1, null, now, now)) {
        // Deleted while building: undo what this attempt did.
        cleanUp(id, current.ports(), host.hostname());
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
      compute.fleet().release(id);
      for (String portId : created) {
        releasePort(server, new PluggedPort(portId, true));
      }
    }
    return null;
  }

  /** Puts a building server in ERROR and gives back what it held. */
  private void fail(Server server, Fault fault, List<String> createdPorts) {
    compute.fleet().release(server.id());
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
    db.inTransaction(
        sql -> {
          ServerStore store = new ServerStore(sql);
          store.removeComputePorts(server.id());
          store.fail(server.id(), fault, now());
          return null;
        });
  }

  private void releasePort(Server server, PluggedPort p) {
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

  private void cleanUp(String id, List<PluggedPort> ports, String host) {
    Server ghost =
        new Server(
            id, "", "", "", null, Server.ERROR, null, "error", 0, host, null,
            new FlavorSnapshot("", "", 0, 0, 0, 0, 0, Map.of()), null, null, null, now(), now(), null, false, null, null,
            Map.of(), List.of());
    try {
      compute.driver().destroy(new HypervisorDriver.InstanceRef(id, host));
    } catch (HypervisorException e) {
      LOG.warn("Could not destroy deleted server {}: {}", id, e.getMessage());
    }
    for (PluggedPort p : ports) {
      releasePort(ghost, p);
    }
    compute.fleet().release(id);
  }

  /** An address of a server, from one of its plugged ports, as Nova's {@code addresses} shows it. */
  public record Address(String networkName, int version, String addr, String mac) {}

  /** The server's addresses, port by port in boot order. */
  public List<Address> addresses(Server server) {
    Actor system = new Actor(server.projectId(), server.userId(), true);
    List<Address> result = new ArrayList<>();
    Map<String, String> networkNames = new LinkedHashMap<>();
    for (PluggedPort p : server.ports()) {
      Port port;
      try {
        port = network.ports().visible(system, p.portId());
      } catch (ServiceException e) {
        continue; // deleted behind Compute's back
      }
      if (!port.deviceId().equals(server.id())) {
        continue; // not plugged (yet)
      }
      String netName =
          networkNames.computeIfAbsent(
              port.networkId(),
              n -> {
                try {
                  return network.networks().visible(system, n).name();
                } catch (ServiceException e) {
                  return n;
                }
              });
      for (Port.FixedIp ip : port.fixedIps()) {
        result.add(new Address(netName, ip.ipAddress().contains(":") ? 6 : 4, ip.ipAddress(), port.macAddress()));
      }
    }
    return result;
  }

  /**
   * Nova's {@code host_status} (2.16): UP, DOWN, MAINTENANCE (the host's compute service is
   * disabled), or "" for a server that has no host.
   */
  public String hostStatus(Server server) {
    if (server.host() == null) {
      return "";
    }
    if (!compute.fleet().isKnown(server.host())) {
      return "UNKNOWN";
    }
    if (!compute.fleet().isUp(server.host())) {
      return "DOWN";
    }
    return compute.fleet().isEnabled(server.host()) ? "UP" : "MAINTENANCE";
  }

  public Server get(String id) {
    return new ServerStore(db.sql()).find(id).orElseThrow(() -> notFound(id));
  }

  public Server visible(Actor actor, String id) {
    return new ServerStore(db.sql()).find(id).filter(s -> actor.owns(s.projectId())).orElseThrow(() -> notFound(id));
  }

  /** One page of a list; {@code nextMarker} is null on the last page. */
  public record Page(List<Server> servers, String nextMarker) {}

  /**
   * The actor's project's servers (all for an admin asking), newest first, filtered, from after
   * {@code marker} (if given), at most {@code limit} (if given).
   */
  public Page list(Actor actor, Query query, Integer limit, String marker) {
    if (!actor.admin() && actor.projectId() == null) {
      return new Page(List.of(), null);
    }
    Pattern name = null;
    if (query.name() != null) {
      try {
        name = Pattern.compile(query.name());
      } catch (PatternSyntaxException e) {
        name = Pattern.compile(Pattern.quote(query.name()));
      }
    }
    List<Server> result = new ArrayList<>();
    for (Server s : new ServerStore(db.sql()).list(actor.admin() && query.allProjects() ? null : actor.projectId())) {
      if (name != null && !name.matcher(s.name()).find()) {
        continue;
      }
      if (query.status() != null && !query.status().equalsIgnoreCase(s.status())) {
        continue;
      }
      if (query.host() != null && !query.host().equals(s.host())) {
        continue;
      }
      if (query.changesSince() != null && s.updatedAt().isBefore(query.changesSince())) {
        continue;
      }
      if (query.projectId() != null && actor.admin() && !query.projectId().equals(s.projectId())) {
        continue;
      }
      if (query.imageId() != null && !query.imageId().equals(s.imageId())) {
        continue;
      }
      if (query.flavorId() != null && !query.flavorId().equals(s.flavor().id())) {
        continue;
      }
      result.add(s);
    }
    int start = 0;
    if (marker != null) {
      int index = -1;
      for (int i = 0; i < result.size(); i++) {
        if (result.get(i).id().equals(marker)) {
          index = i;
          break;
        }
      }
      if (index < 0) {
        throw ServiceException.invalid("MarkerNotFound", "marker [" + marker + "] not found");
      }
      start = index + 1;
    }
    int end = limit == null ? result.size() : (int) Math.min(result.size(), (long) start + limit);
    ServerStore store = new ServerStore(db.sql());
    List<Server> page = result.subList(start, end).stream().map(store::complete).toList();
    String next = limit != null && limit > 0 && end < result.size() && !page.isEmpty() ? page.getLast().id() : null;
    return new Page(page, next);
  }

  public Server update(Actor actor, String id, String name, String description, boolean setDescription) {
    Server old = visible(actor, id);
    new ServerStore(db.sql())
        .rename(id, requireNonNullElse(name, old.name()), setDescription ? description : old.description(), now());
    return get(id);
  }

  /** Sets metadata: {@code replace} drops the keys not given (PUT), else they are kept (POST). */
  public Map<String, String> setMetadata(Actor actor, String id, Map<String, String> metadata, boolean replace) {
    Server old = visible(actor, id);
    Map<String, String> merged = new LinkedHashMap<>(replace ? Map.of() : old.metadata());
    merged.putAll(metadata);
    db.inTransaction(
        sql -> {
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
  String finishDelete(Task task) throws Exception {
    String id = JSON.readTree(task.payload()).path("server_id").asText();
    Server server = new ServerStore(db.sql()).find(id).orElse(null);
    if (server == null) {
      return null;
    }
    if (server.host() != null) {
      try {
        compute.driver().destroy(new HypervisorDriver.InstanceRef(id, server.host()));
      } catch (HypervisorException e) {
        LOG.info("Server {} failed to delete: {}", id, e.getMessage());
        new ServerStore(db.sql()).setError(id, new Fault(500, e.getMessage(), null, now()), now());
        return null;
      }
    }
    for (PluggedPort p : server.ports()) {
      releasePort(server, p);
    }
    compute.fleet().release(id);
    new ServerStore(db.sql()).delete(id);
    return null;
  }

  private static ServiceException notFound(String id) {
    return ServiceException.notFound("InstanceNotFound", "Instance " + id + " could not be found.");
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
