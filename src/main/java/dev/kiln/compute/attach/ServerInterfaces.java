package dev.kiln.compute.attach;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.common.ServiceException;
import dev.kiln.compute.fleet.HypervisorDriver.InstanceRef;
import dev.kiln.compute.fleet.HypervisorDriver.InterfaceRequest;
import dev.kiln.compute.fleet.HypervisorDriver;
import dev.kiln.compute.fleet.HypervisorException;
import dev.kiln.compute.servers.InstanceAction;
import dev.kiln.compute.servers.Server.PluggedPort;
import dev.kiln.compute.servers.Server;
import dev.kiln.compute.servers.ServerChecks;
import dev.kiln.compute.servers.Servers;
import dev.kiln.compute.servers.store.InstanceActionStore;
import dev.kiln.compute.servers.store.ServerPortStore;
import dev.kiln.compute.servers.store.ServerStore;
import dev.kiln.network.NetworkService;
import dev.kiln.network.Port;
import dev.kiln.network.Ports;
import dev.kiln.store.Database;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A running server's network interfaces ({@code os-interface}): attach a user's port, or a new
 * port Compute makes on a network, and detach. A detached user port is unbound and kept, same id,
 * MAC and addresses, ready for another server at once; a port Compute made is deleted.
 *
 * <p>An attach or detach holds the server for its duration through a task state ({@code
 * interface_attaching}, {@code interface_detaching}: Kiln's names; Nova holds a lock on the compute
 * host instead), set with a conditional update, so it never interleaves with another action,
 * attach or a delete of the same server.
 */
public final class ServerInterfaces {
  private static final List<String> ALLOWED_VM_STATES = List.of("active", "paused", "stopped");

  private final Database db;
  private final Clock clock;
  private final IdGenerator ids;
  private final HypervisorDriver driver;
  private final NetworkService network;
  private final Servers servers;

  public ServerInterfaces(
      Database db, Clock clock, IdGenerator ids, HypervisorDriver driver, NetworkService network, Servers servers) {
    this.db = requireNonNull(db, "db is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.ids = requireNonNull(ids, "ids is null");
    this.driver = requireNonNull(driver, "driver is null");
    this.network = requireNonNull(network, "network is null");
    this.servers = requireNonNull(servers, "servers is null");
  }

  /** An interface as {@code os-interface} shows it. */
  public record Interface(
      String portId, String networkId, String macAddress, String portState, List<Port.FixedIp> fixedIps, String tag) {}

  /** What an attach asks for: a port, or a network (with maybe addresses on it). */
  public record AttachRequest(String portId, String networkId, List<String> fixedIps, String tag) {}

  public List<Interface> list(Actor actor, String serverId) {
    Server server = servers.visible(actor, serverId);
    Map<String, String> tags = new ServerPortStore(db.sql()).tags(serverId);
    List<Interface> result = new ArrayList<>();
    for (PluggedPort p : server.ports()) {
      port(server, p.portId()).ifPresent(port -> result.add(view(port, tags.get(port.id()))));
    }
    return result;
  }

  public Interface show(Actor actor, String serverId, String portId) {
    Server server = servers.visible(actor, serverId);
    if (server.ports().stream().noneMatch(p -> p.portId().equals(portId))) {
      throw notAttached(serverId, portId);
    }
    Port port = port(server, portId).orElseThrow(() -> notAttached(serverId, portId));
    return view(port, new ServerPortStore(db.sql()).tags(serverId).get(portId));
  }

  /** Attaches a port (the user's, or one made on the network asked for) to the running server. */
  public Interface attach(Actor actor, String serverId, AttachRequest request) {
    Server server = servers.visible(actor, serverId);
    ServerChecks.requireReady(actor, server, "attach_interface", ALLOWED_VM_STATES);
    Actor owner = new Actor(server.projectId(), server.userId(), false);
    String networkId = request.portId() == null ? networkFor(actor, request.networkId()) : null;
    if (request.portId() != null) {
      Port port = userPort(actor, request.portId());
      if (!port.deviceId().isEmpty()) {
        throw portInUse(port);
      }
    }
    begin(server, "interface_attaching", "attach_interface", actor);
    String requestId = InstanceAction.currentRequestId(ids);
    PluggedPort plugged = null;
    try {
      if (request.portId() != null) {
        plugged = new PluggedPort(request.portId(), false);
      } else {
        List<Ports.AddressRequest> addresses =
            request.fixedIps().isEmpty() ? null : request.fixedIps().stream().map(ip -> new Ports.AddressRequest(null, ip)).toList();
        Port made =
            network.ports().create(
                owner,
                new Ports.Spec(null, networkId, "", null, null, null, addresses, null, null, null, null, null, null, null));
        plugged = new PluggedPort(made.id(), true);
      }
      Port port = network.ports().plug(plugged.portId(), serverId, "compute:" + server.availabilityZone(), server.host());
      PluggedPort recorded = plugged;
      db.inTransaction(
          sql -> {
            new ServerPortStore(sql).attach(serverId, recorded, request.tag());
            return null;
          });
      driver.attachInterface(new InterfaceRequest(new InstanceRef(serverId, server.host()), port.id(), port.macAddress()));
      if (!finish(server, "interface_attaching")) {
        // A delete took the server over meanwhile: give the port back as the delete would.
        undoAttach(server, plugged);
        throw Servers.notFound(serverId);
      }
      recordAction(server, actor, requestId, "attach_interface", null);
      // The port as plug left it, with the tag asked for: what a fresh show would read back.
      return view(port, request.tag());
    } catch (HypervisorException e) {
      undoAttach(server, plugged);
      finish(server, "interface_attaching");
      recordAction(server, actor, requestId, "attach_interface", e.getMessage());
      throw ServiceException.failed(
          "InterfaceAttachFailed", "Failed to attach network adapter device to " + serverId + ": " + e.getMessage());
    } catch (RuntimeException e) {
      if (plugged != null && !(e instanceof ServiceException se && se.kind() == ServiceException.Kind.NOT_FOUND)) {
        undoAttach(server, plugged);
      }
      finish(server, "interface_attaching");
      throw e;
    }
  }

  /**
   * Detaches a port from the server: the driver unplugs it, then a user's port is unbound and kept,
   * a port Compute made is deleted.
   */
  public void detach(Actor actor, String serverId, String portId) {
    Server server = servers.visible(actor, serverId);
    PluggedPort plugged =
        server.ports().stream().filter(p -> p.portId().equals(portId)).findFirst()
            .orElseThrow(() -> ServiceException.notFound("PortNotFound", "Port " + portId + " is not attached to server " + serverId + "."));
    ServerChecks.requireReady(actor, server, "detach_interface", ALLOWED_VM_STATES);
    begin(server, "interface_detaching", "detach_interface", actor);
    String requestId = InstanceAction.currentRequestId(ids);
    try {
      driver.detachInterface(new InterfaceRequest(new InstanceRef(serverId, server.host()), portId, null));
    } catch (HypervisorException e) {
      finish(server, "interface_detaching");
      recordAction(server, actor, requestId, "detach_interface", e.getMessage());
      throw ServiceException.failed(
          "InterfaceDetachFailed", "Failed to detach network adapter device from " + serverId + ": " + e.getMessage());
    }
    try {
      servers.releasePort(server, plugged);
      db.inTransaction(sql -> new ServerPortStore(sql).detach(serverId, portId));
    } finally {
      finish(server, "interface_detaching");
    }
    recordAction(server, actor, requestId, "detach_interface", null);
  }


  /** Takes the server for the attach or detach; another change that got there first wins. */
  private void begin(Server server, String taskState, String action, Actor actor) {
    boolean begun =
        new ServerStore(db.sql()).beginAction(server.id(), server.vmState(), null, taskState, server.status(), now());
    if (!begun) {
      Server current = servers.visible(actor, server.id());
      throw ServerChecks.invalidState(action, server.id(), "task_state", current.taskState());
    }
  }

  /** Gives the server back as it was; false when a delete took it over meanwhile. */
  private boolean finish(Server server, String taskState) {
    return new ServerStore(db.sql())
        .finishAction(server.id(), taskState, server.status(), server.vmState(), server.powerState(), false, now());
  }

  private void undoAttach(Server server, PluggedPort plugged) {
    if (plugged == null) {
      return;
    }
    servers.releasePort(server, plugged);
    db.inTransaction(sql -> new ServerPortStore(sql).detach(server.id(), plugged.portId()));
  }

  /** The action and its one event, finished: written together, in one transaction. */
  private void recordAction(Server server, Actor actor, String requestId, String action, String error) {
    Instant now = now();
    db.inTransaction(
        sql -> {
          InstanceActionStore store = new InstanceActionStore(sql);
          store.insert(server.id(), requestId, action, server.projectId(), actor.userId(), now);
          store.insertFinishedEvent(server.id(), requestId, "compute_" + action, server.host(), error, now);
          return null;
        });
  }

  /** The network to make a port on: the one asked for, or the project's only usable one. */
  private String networkFor(Actor actor, String networkId) {
    if (networkId != null) {
      try {
        return network.networks().visible(actor, networkId).id();
      } catch (ServiceException e) {
        if (e.kind() == ServiceException.Kind.NOT_FOUND) {
          throw ServiceException.notFound("NetworkNotFound", "Network " + networkId + " could not be found.");
        }
        throw e;
      }
    }
    List<String> usable = network.networks().list(actor).stream().filter(n -> !n.external()).map(n -> n.id()).toList();
    if (usable.size() != 1) {
      throw ServiceException.invalid(
          "InterfaceAttachFailedNoNetwork",
          usable.isEmpty()
              ? "No specific network was requested and none are available for project '" + actor.projectId() + "'."
              : "Multiple possible networks found, use a Network ID to be more specific.");
    }
    return usable.getFirst();
  }

  private Port userPort(Actor actor, String portId) {
    try {
      return network.ports().visible(actor, portId);
    } catch (ServiceException e) {
      if (e.kind() == ServiceException.Kind.NOT_FOUND) {
        throw ServiceException.notFound("PortNotFound", "Port " + portId + " could not be found.");
      }
      throw e;
    }
  }

  private java.util.Optional<Port> port(Server server, String portId) {
    try {
      Port port = network.ports().visible(new Actor(server.projectId(), server.userId(), true), portId);
      return port.deviceId().equals(server.id()) ? java.util.Optional.of(port) : java.util.Optional.empty();
    } catch (ServiceException e) {
      return java.util.Optional.empty();
    }
  }

  private static Interface view(Port port, String tag) {
    return new Interface(port.id(), port.networkId(), port.macAddress(), port.status(), port.fixedIps(), tag);
  }

  private static ServiceException portInUse(Port port) {
    return ServiceException.conflict("PortInUse", "Port " + port.id() + " is still in use.");
  }

  private static ServiceException notAttached(String serverId, String portId) {
    return ServiceException.notFound("PortNotFound", "Instance " + serverId + " does not have a port " + portId + " attached.");
  }


  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

}
