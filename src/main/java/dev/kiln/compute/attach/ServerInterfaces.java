package dev.kiln.compute.attach;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.common.ServiceException;
import dev.kiln.compute.attach.store.InterfaceOpStore;
import dev.kiln.compute.fleet.HypervisorDriver;
import dev.kiln.compute.servers.InstanceAction;
import dev.kiln.compute.servers.Server;
import dev.kiln.compute.servers.Server.PluggedPort;
import dev.kiln.compute.servers.ServerChecks;
import dev.kiln.compute.servers.Servers;
import dev.kiln.compute.servers.store.InstanceActionStore;
import dev.kiln.compute.servers.store.ServerPortStore;
import dev.kiln.compute.servers.store.ServerStore;
import dev.kiln.network.NetworkService;
import dev.kiln.network.Port;
import dev.kiln.store.Database;
import dev.kiln.tasks.TaskHandler;
import dev.kiln.tasks.TaskRunner;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A running server's network interfaces ({@code os-interface}): attach a user's port, or a new
 * port Compute makes on a network, and detach. A detached user port is unbound and kept, same id,
 * MAC and addresses, ready for another server at once; a port Compute made is deleted.
 *
 * <p>An attach or detach holds the server for its duration through a task state ({@code
 * interface_attaching}, {@code interface_detaching}: Kiln's names; Nova holds a lock on the compute
 * host instead), set with a conditional update, so it never interleaves with another action,
 * attach or a delete of the same server.
 *
 * <p>Crash safety: the request records the operation ({@link InterfaceOp}) and a durable {@code
 * server.interface} task in the transaction that takes the server, then waits for the task, as
 * Nova's API waits for the compute service's answer. Every step the task takes is recorded or
 * repeatable (the port Compute makes is recorded before it is plugged; plugging and recording are
 * idempotent), so if the node dies, the task runner that takes the task over (another node, or
 * this one restarted) finishes the attach or detach, or undoes it when it can no longer be done,
 * and the server never stays {@code interface_attaching}. This class is the request's side; {@link
 * InterfaceSteps} takes the task's steps and {@link InterfaceWaits} holds the waiting requests.
 */
public final class ServerInterfaces {
  static final String TASK = "server.interface";
  private static final List<String> ALLOWED_VM_STATES = List.of("active", "paused", "stopped");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Database db;
  private final Clock clock;
  private final IdGenerator ids;
  private final NetworkService network;
  private final Servers servers;
  private final TaskRunner tasks;
  private final InterfaceWaits waits;

  public ServerInterfaces(
      Database db,
      Clock clock,
      IdGenerator ids,
      HypervisorDriver driver,
      NetworkService network,
      Servers servers,
      TaskRunner tasks) {
    this.db = requireNonNull(db, "db is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.ids = requireNonNull(ids, "ids is null");
    this.network = requireNonNull(network, "network is null");
    this.servers = requireNonNull(servers, "servers is null");
    this.tasks = requireNonNull(tasks, "tasks is null");
    this.waits = new InterfaceWaits(db);
    InterfaceSteps steps =
        new InterfaceSteps(db, clock, requireNonNull(driver, "driver is null"), network, servers, waits);
    tasks.register(TASK, TaskHandler.withGiveUp(steps::perform, steps::giveUp));
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
    String networkId = request.portId() == null ? networkFor(actor, request.networkId()) : null;
    if (request.portId() != null) {
      Port port = userPort(actor, request.portId());
      if (!port.deviceId().isEmpty()) {
        throw portInUse(port);
      }
    }
    InterfaceOp op =
        new InterfaceOp(
            ids.uuid(), serverId, InterfaceOp.Kind.ATTACH, request.portId(), false, networkId, request.fixedIps(),
            request.tag(), InstanceAction.currentRequestId(ids), actor.userId(), InterfaceOp.Status.PENDING, null, now());
    InterfaceOp done = run(actor, server, op);
    Server current = servers.get(serverId);
    // The port as the attach left it, with the tag asked for: what a fresh show reads back.
    return port(current, done.portId()).map(p -> view(p, request.tag())).orElseThrow(() -> notAttached(serverId, done.portId()));
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
    run(
        actor, server,
        new InterfaceOp(
            ids.uuid(), serverId, InterfaceOp.Kind.DETACH, portId, plugged.ownedByCompute(), null, List.of(), null,
            InstanceAction.currentRequestId(ids), actor.userId(), InterfaceOp.Status.PENDING, null, now()));
  }

  // The request's side: record, submit, wait

  /**
   * Takes the server, records the operation and its task in one transaction, and waits for the
   * task's outcome; throws the operation's error when it failed.
   */
  private InterfaceOp run(Actor actor, Server server, InterfaceOp op) {
    CompletableFuture<Void> done = waits.expect(op.id());
    try {
      Instant now = now();
      boolean begun =
          db.inTransaction(
              sql -> {
                if (!new ServerStore(sql)
                    .beginAction(server.id(), server.vmState(), null, op.kind().taskState, server.status(), now)) {
                  return false;
                }
                new InterfaceOpStore(sql).insert(op);
                new InstanceActionStore(sql)
                    .insert(server.id(), op.requestId(), op.kind().action, server.projectId(), actor.userId(), now);
                tasks.submit(sql, TASK, JSON.createObjectNode().put("op_id", op.id()).toString(), now, 3);
                return true;
              });
      if (!begun) {
        Server current = servers.visible(actor, server.id());
        throw ServerChecks.invalidState(op.kind().action, server.id(), "task_state", current.taskState());
      }
      tasks.wake();
      InterfaceOp outcome = waits.await(op.id(), done);
      if (outcome.status() == InterfaceOp.Status.FAILED) {
        throw outcome.error().exception();
      }
      return outcome;
    } finally {
      waits.forget(op.id());
    }
  }

  // Lookups

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

  private Optional<Port> port(Server server, String portId) {
    try {
      Port port = network.ports().visible(Servers.system(server), portId);
      return port.deviceId().equals(server.id()) ? Optional.of(port) : Optional.empty();
    } catch (ServiceException e) {
      return Optional.empty();
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
