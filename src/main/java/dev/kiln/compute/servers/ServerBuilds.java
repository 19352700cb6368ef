package dev.kiln.compute.servers;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;
import dev.kiln.compute.fleet.Fleet;
import dev.kiln.compute.fleet.Hypervisor;
import dev.kiln.compute.fleet.HypervisorDriver;
import dev.kiln.compute.fleet.HypervisorException;
import dev.kiln.compute.fleet.Resources;
import dev.kiln.compute.fleet.Scheduler;
import dev.kiln.compute.servers.Server.Fault;
import dev.kiln.compute.servers.Server.FlavorSnapshot;
import dev.kiln.compute.servers.Server.PluggedPort;
import dev.kiln.compute.servers.store.BlockDeviceStore;
import dev.kiln.compute.servers.store.ServerStore;
import dev.kiln.network.NetworkService;
import dev.kiln.network.Port;
import dev.kiln.network.Ports;
import dev.kiln.store.Database;
import dev.kiln.tasks.Task;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable {@code server.build} task: schedules (with the create's hints), claims, makes and
 * plugs the ports, connects the volumes and spawns; a failed build ends in ERROR with a fault and
 * gives back what it took. The undo of each step stays next to the step.
 */
final class ServerBuilds {
  private static final Logger LOG = LoggerFactory.getLogger(ServerBuilds.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Database db;
  private final Clock clock;
  private final Fleet fleet;
  private final HypervisorDriver driver;
  private final NetworkService network;
  private final Scheduler scheduler;
  private final ServerVolumes volumes;
  private final ServerBindings bindings;
  private final ServerLifecycle lifecycle;

  ServerBuilds(
      Database db,
      Clock clock,
      Fleet fleet,
      HypervisorDriver driver,
      NetworkService network,
      Scheduler scheduler,
      ServerVolumes volumes,
      ServerBindings bindings,
      ServerLifecycle lifecycle) {
    this.db = requireNonNull(db, "db is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.fleet = requireNonNull(fleet, "fleet is null");
    this.driver = requireNonNull(driver, "driver is null");
    this.network = requireNonNull(network, "network is null");
    this.scheduler = requireNonNull(scheduler, "scheduler is null");
    this.volumes = requireNonNull(volumes, "volumes is null");
    this.bindings = requireNonNull(bindings, "bindings is null");
    this.lifecycle = requireNonNull(lifecycle, "lifecycle is null");
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
    Resources resources = server.flavor().resources(server.imageId() == null);
    List<String> securityGroups = new ArrayList<>();
    payload.path("security_groups").forEach(g -> securityGroups.add(g.asText()));
    List<String> created = new ArrayList<>();
    try {
      Scheduler.Request placement = Scheduler.Request.boot(id, resources, server.availabilityZone());
      List<BlockDevice> devices = blockDevices(id);
      boolean makesPorts = !payload.path("networks").isEmpty();
      String nextStep = makesPorts ? "networking" : devices.isEmpty() ? "spawning" : "block_device_mapping";
      // The claim, the host and the build's next step in one commit (each commit is a forced
      // write and a fenced claim check). A build with no ports to make and no volumes to connect
      // goes straight to spawning, as Nova's would pass its networking and block device steps at once.
      Hypervisor host =
          db.inTransactionJoinedByNestedWork(
              sql -> {
                Optional<Hypervisor> placed = place(placement, payload);
                placed.ifPresent(
                    h -> new ServerStore(sql).setHostAndTaskState(id, h.hostname(), h.availabilityZone(), nextStep, now()));
                return placed.orElse(null);
              });
      if (host == null) {
        String reason = scheduler.noValidHostReason(placement);
        LOG.info("Server {} failed to build: {}", id, reason);
        fail(server, new Fault(500, reason, null, now()), created);
        return null;
      }
      String deviceOwner = "compute:" + host.availabilityZone();
      // Ports an earlier attempt created are recorded; create only the missing ones.
      Set<Integer> present = makesPorts ? new HashSet<>(new ServerStore(db.sql()).portPositions(id)) : Set.of();
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
        bindings.whileNotDeleting(id, sql -> {
          new ServerStore(sql).addPort(id, new PluggedPort(port.id(), true), position, tag);
          return null;
        });
      }
      // The server as read at the start, unless this attempt added ports to it.
      Server current = created.isEmpty() ? server : new ServerStore(db.sql()).find(id).orElseThrow(() -> Servers.notFound(id));
      for (PluggedPort p : current.ports()) {
        // Plugged only while no delete has begun, so the delete task sees every port it must give back.
        bindings.whileNotDeleting(id, sql -> network.ports().plug(p.portId(), id, deviceOwner, host.hostname()));
      }
      if (!devices.isEmpty()) {
        if (makesPorts) {
          new ServerStore(db.sql()).setTaskState(id, "block_device_mapping", now());
        }
        for (BlockDevice d : devices) {
          volumes.connect(owner, d, host.hostname());
        }
        devices = blockDevices(id);
      }
      if (makesPorts || !devices.isEmpty()) {
        new ServerStore(db.sql()).setTaskState(id, "spawning", now());
      }
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
        lifecycle.active(id);
      }
    } catch (HypervisorException | ServiceException e) {
      if (deleteBegun(id)) {
        // What failed was most likely the step the delete refused ("could not be found"): as in
        // Nova, a build that meets its delete ends quietly rather than putting the server in
        // ERROR, which a client waiting for the server to go would take for a failed delete.
        leaveToDelete(server, created);
        return null;
      }
      LOG.info("Server {} failed to build: {}", id, e.getMessage());
      int code = e instanceof ServiceException s ? s.kind().httpStatus() : 500;
      fail(server, new Fault(code, e.getMessage(), null, now()), created);
    } catch (RuntimeException e) {
      if (new ServerStore(db.sql()).find(id).isPresent()) {
        throw e; // the runner retries; the steps done are recorded or repeatable
      }
      // Deleted while building (recording a port failed): give back what this attempt made.
      leaveToDelete(server, created);
    }
    return null;
  }

  /** Whether a delete of the server has begun, or is done. */
  private boolean deleteBegun(String id) {
    return new ServerStore(db.sql()).find(id).map(s -> "deleting".equals(s.taskState())).orElse(true);
  }

  /**
   * Gives back what this attempt took that the delete cannot see: the host's claim, and the ports
   * it made but did not record on the server (the delete gives back the recorded ones).
   */
  private void leaveToDelete(Server server, List<String> createdPorts) {
    LOG.info("Server {} was deleted while it built; its build ends", server.id());
    fleet.release(server.id());
    Set<String> recorded = new HashSet<>();
    new ServerStore(db.sql()).find(server.id()).ifPresent(s -> s.ports().forEach(p -> recorded.add(p.portId())));
    for (String portId : createdPorts) {
      if (!recorded.contains(portId)) {
        bindings.releasePort(server, new PluggedPort(portId, true));
      }
    }
  }

  /**
   * Places a boot with its hints: {@code different_host} rules out the hosts of those servers,
   * {@code same_host} allows only theirs (each tried in turn, as the scheduler weighs them).
   */
  private Optional<Hypervisor> place(Scheduler.Request boot, JsonNode payload) {
    Set<String> sameHosts = new java.util.TreeSet<>();
    payload.path("same_host").forEach(s -> new ServerStore(db.sql()).find(s.asText()).map(Server::host).ifPresent(sameHosts::add));
    Set<String> excluded = new HashSet<>(boot.excludedHosts());
    payload.path("different_host").forEach(s -> new ServerStore(db.sql()).find(s.asText()).map(Server::host).ifPresent(excluded::add));
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
      bindings.releasePort(server, p);
    }
    for (String portId : createdPorts) {
      if (!handled.contains(portId)) {
        bindings.releasePort(server, new PluggedPort(portId, true));
      }
    }
    // As Nova's build cleanup: volumes are detached, and deleted when they were to go with the server.
    List<BlockDevice> devices = blockDevices(server.id());
    for (BlockDevice d : devices) {
      if (d.attachmentId() == null && d.volumeId() != null) {
        // Left unrecorded by a killed attempt from before a reservation and its record were one
        // commit: it goes with the mapping.
        volumes.releaseAttachmentsOf(Servers.system(server), d.volumeId(), server.id(), null);
      }
      volumes.release(Servers.system(server), d, d.deleteOnTermination());
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
    bindings.releasePortsOfDeleted(ghost, ports);
    for (BlockDevice d : devices) {
      volumes.release(Servers.system(ghost), d, d.deleteOnTermination());
    }
    fleet.release(id);
  }

  private List<BlockDevice> blockDevices(String serverId) {
    return new BlockDeviceStore(db.sql()).ofServer(serverId);
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
