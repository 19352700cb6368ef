package dev.kiln.compute.attach;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.common.ServiceException;
import dev.kiln.compute.attach.store.InterfaceOpStore;
import dev.kiln.compute.fleet.HypervisorDriver;
import dev.kiln.compute.fleet.HypervisorDriver.InstanceRef;
import dev.kiln.compute.fleet.HypervisorDriver.InterfaceRequest;
import dev.kiln.compute.fleet.HypervisorException;
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
import dev.kiln.network.Ports;
import dev.kiln.store.Database;
import dev.kiln.tasks.Task;
import dev.kiln.tasks.TaskHandler;
import dev.kiln.tasks.TaskRunner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
 * and the server never stays {@code interface_attaching}.
 */
public final class ServerInterfaces {
  static final String TASK = "server.interface";
  private static final List<String> ALLOWED_VM_STATES = List.of("active", "paused", "stopped");
  /** How long a request waits for its operation, as Nova's rpc_response_timeout ×5. */
  private static final Duration WAIT = Duration.ofMinutes(5);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Database db;
  private final Clock clock;
  private final IdGenerator ids;
  private final HypervisorDriver driver;
  private final NetworkService network;
  private final Servers servers;
  private final TaskRunner tasks;
  /** The requests of this node waiting for their operation, by operation id. */
  private final Map<String, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();

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
    this.driver = requireNonNull(driver, "driver is null");
    this.network = requireNonNull(network, "network is null");
    this.servers = requireNonNull(servers, "servers is null");
    this.tasks = requireNonNull(tasks, "tasks is null");
    tasks.register(TASK, TaskHandler.withGiveUp(this::perform, this::giveUp));
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
    CompletableFuture<Void> done = new CompletableFuture<>();
    waiting.put(op.id(), done);
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
      InterfaceOp outcome = await(op.id(), done);
      if (outcome.status() == InterfaceOp.Status.FAILED) {
        throw outcome.error().exception();
      }
      return outcome;
    } finally {
      waiting.remove(op.id());
    }
  }

  /**
   * Waits until the operation has ended: woken at once when this node's runner ends it, else
   * reading its row now and then (another node's runner may have taken the task).
   */
  private InterfaceOp await(String opId, CompletableFuture<Void> done) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    InterfaceOpStore store = new InterfaceOpStore(db.sql());
    while (true) {
      try {
        done.get(250, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        // look at the row
      } catch (ExecutionException e) {
        throw new IllegalStateException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw ServiceException.failed("computeFault", "Interrupted while waiting for interface operation " + opId);
      }
      InterfaceOp op = store.find(opId).orElseThrow(() -> new IllegalStateException("interface operation " + opId + " is gone"));
      if (op.status() != InterfaceOp.Status.PENDING) {
        store.delete(opId);
        return op;
      }
      if (System.nanoTime() > deadline) {
        throw ServiceException.failed(
            "computeFault", "Timed out waiting for interface operation " + opId + "; it goes on in the background.");
      }
    }
  }

  // The task's side: act, recording each step, and settle

  String perform(Task task) throws Exception {
    InterfaceOp op = op(task).orElse(null);
    if (op == null || op.status() != InterfaceOp.Status.PENDING) {
      return null; // an earlier attempt ended it
    }
    switch (op.kind()) {
      case ATTACH -> attachSteps(op, task.attempts() > 1);
      case DETACH -> detachSteps(op);
    }
    return null;
  }

  /** @param retried whether an earlier attempt may have died part way */
  private void attachSteps(InterfaceOp op, boolean retried) {
    Server server = servers.find(op.serverId()).orElse(null);
    if (retried && op.networkId() != null && op.portId() == null) {
      op = adoptStrayPort(op, server);
    }
    if (server == null || !op.kind().taskState.equals(server.taskState())) {
      // Deleted meanwhile, or a delete took the server over: give back what was bound.
      undoAttach(op, server);
      settle(op, Servers.notFound(op.serverId()));
      return;
    }
    try {
      String portId = op.portId() != null ? op.portId() : makePort(op, server);
      boolean made = op.networkId() != null || op.ownedByCompute();
      InterfaceOp attaching = op;
      Port port =
          servers.whileNotDeleting(
              server.id(),
              sql -> {
                Port plugged = network.ports().plug(portId, server.id(), "compute:" + server.availabilityZone(), server.host());
                ServerPortStore ports = new ServerPortStore(sql);
                if (!ports.has(server.id(), portId)) {
                  ports.attach(server.id(), new PluggedPort(portId, made), attaching.tag());
                }
                return plugged;
              });
      driver.attachInterface(new InterfaceRequest(new InstanceRef(server.id(), server.host()), port.id(), port.macAddress()));
      if (!finish(op, server, null)) {
        // A delete took the server over meanwhile: give the port back as the delete would.
        undoAttach(op, server);
        settle(op, Servers.notFound(server.id()));
      }
    } catch (HypervisorException e) {
      undoAttach(op, server);
      finish(
          op, server,
          ServiceException.failed(
              "InterfaceAttachFailed", "Failed to attach network adapter device to " + server.id() + ": " + e.getMessage()));
    } catch (ServiceException e) {
      undoAttach(op, server);
      finish(op, server, e);
    }
  }

  /**
   * Makes the port of a network attach, on the server's project, already naming the server as its
   * device (as Nova makes it), and records it before anything else happens to it.
   */
  private String makePort(InterfaceOp op, Server server) {
    List<Ports.AddressRequest> addresses =
        op.fixedIps().isEmpty() ? null : op.fixedIps().stream().map(ip -> new Ports.AddressRequest(null, ip)).toList();
    Port made =
        network.ports().create(
            Servers.system(server),
            new Ports.Spec(
                server.projectId(), op.networkId(), "", null, null, null, addresses, server.id(),
                "compute:" + server.availabilityZone(), null, null, null, null, null));
    if (!new InterfaceOpStore(db.sql()).setMadePort(op.id(), made.id(), now())) {
      servers.releasePort(server, new PluggedPort(made.id(), true)); // cannot happen while the claim holds
      return new InterfaceOpStore(db.sql()).find(op.id()).orElseThrow().portId();
    }
    return made.id();
  }

  /**
   * An earlier attempt that died between making the port and recording it left a port naming the
   * server that the server does not have: it is this operation's, recorded now (any other such
   * port is deleted). Answers the operation as recorded.
   */
  private InterfaceOp adoptStrayPort(InterfaceOp op, Server server) {
    InterfaceOpStore store = new InterfaceOpStore(db.sql());
    Actor project = new Actor(server == null ? null : server.projectId(), null, false);
    java.util.Set<String> recorded = new java.util.HashSet<>();
    if (server != null) {
      server.ports().forEach(p -> recorded.add(p.portId()));
    }
    for (Port p : server == null ? List.<Port>of() : network.ports().list(project)) {
      if (p.deviceId().equals(op.serverId()) && p.deviceOwner().startsWith("compute:") && !recorded.contains(p.id())
          && p.networkId().equals(op.networkId()) && !store.setMadePort(op.id(), p.id(), now())) {
        servers.releasePort(op.serverId(), new PluggedPort(p.id(), true));
      }
    }
    return store.find(op.id()).orElse(op);
  }

  private void detachSteps(InterfaceOp op) {
    Server server = servers.find(op.serverId()).orElse(null);
    if (server == null || !op.kind().taskState.equals(server.taskState())) {
      settle(op, Servers.notFound(op.serverId())); // the delete gives the port back
      return;
    }
    try {
      driver.detachInterface(new InterfaceRequest(new InstanceRef(server.id(), server.host()), op.portId(), null));
    } catch (HypervisorException e) {
      finish(
          op, server,
          ServiceException.failed(
              "InterfaceDetachFailed", "Failed to detach network adapter device from " + server.id() + ": " + e.getMessage()));
      return;
    }
    servers.releasePort(server, new PluggedPort(op.portId(), op.ownedByCompute()));
    db.inTransaction(sql -> new ServerPortStore(sql).detach(server.id(), op.portId()));
    finish(op, server, null);
  }

  /**
   * After the task's last attempt failed unexpectedly: undoes an attach, gives the server back and
   * ends the operation in error, so its request answers and the server is free again.
   */
  private void giveUp(Task task, String error) {
    InterfaceOp op = op(task).orElse(null);
    if (op == null || op.status() != InterfaceOp.Status.PENDING) {
      return;
    }
    Server server = servers.find(op.serverId()).orElse(null);
    if (op.kind() == InterfaceOp.Kind.ATTACH) {
      undoAttach(op, server);
    }
    ServiceException failure =
        ServiceException.failed("computeFault", "The " + op.kind().action + " of " + op.serverId() + " failed: " + error);
    if (server == null || !finish(op, server, failure)) {
      settle(op, failure);
    }
  }

  /**
   * Ends the operation and gives the server back as it was, in one transaction, with the action's
   * event; false (and nothing written) when a delete took the server over meanwhile.
   */
  private boolean finish(InterfaceOp op, Server server, ServiceException error) {
    Instant now = now();
    boolean finished =
        db.inTransaction(
            sql -> {
              if (!new ServerStore(sql)
                  .finishAction(
                      server.id(), op.kind().taskState, server.status(), server.vmState(), server.powerState(), false,
                      now)) {
                return false;
              }
              new InterfaceOpStore(sql)
                  .settle(
                      op.id(), error == null ? InterfaceOp.Status.DONE : InterfaceOp.Status.FAILED,
                      error == null ? null : InterfaceOp.Error.of(error), now);
              new InstanceActionStore(sql)
                  .insertFinishedEvent(
                      server.id(), op.requestId(), "compute_" + op.kind().action, server.host(),
                      error == null ? null : error.getMessage(), now);
              return true;
            });
    if (finished) {
      wakeRequest(op.id());
    }
    return finished;
  }

  /** Ends the operation in error without touching the server (gone, or another change's now). */
  private void settle(InterfaceOp op, ServiceException error) {
    new InterfaceOpStore(db.sql()).settle(op.id(), InterfaceOp.Status.FAILED, InterfaceOp.Error.of(error), now());
    wakeRequest(op.id());
  }

  private void wakeRequest(String opId) {
    CompletableFuture<Void> request = waiting.get(opId);
    if (request != null) {
      request.complete(null);
    }
  }

  /**
   * Takes back what an attach bound, as recorded: the port is unplugged (a user's) or deleted
   * (Compute's) and forgotten by the server. Safe to repeat.
   */
  private void undoAttach(InterfaceOp recorded, Server server) {
    InterfaceOp op = new InterfaceOpStore(db.sql()).find(recorded.id()).orElse(recorded);
    if (op.portId() == null) {
      return;
    }
    boolean made = op.networkId() != null || op.ownedByCompute();
    servers.releasePort(op.serverId(), new PluggedPort(op.portId(), made));
    if (server != null) {
      db.inTransaction(sql -> new ServerPortStore(sql).detach(server.id(), op.portId()));
    }
  }

  private Optional<InterfaceOp> op(Task task) {
    try {
      return new InterfaceOpStore(db.sql()).find(JSON.readTree(task.payload()).path("op_id").asText());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("unreadable interface task " + task.id(), e);
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
