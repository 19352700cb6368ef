package dev.kiln.compute.attach;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;
import dev.kiln.compute.attach.store.InterfaceOpStore;
import dev.kiln.compute.fleet.HypervisorDriver;
import dev.kiln.compute.fleet.HypervisorDriver.InstanceRef;
import dev.kiln.compute.fleet.HypervisorDriver.InterfaceRequest;
import dev.kiln.compute.fleet.HypervisorException;
import dev.kiln.compute.servers.Server;
import dev.kiln.compute.servers.Server.PluggedPort;
import dev.kiln.compute.servers.Servers;
import dev.kiln.compute.servers.store.InstanceActionStore;
import dev.kiln.compute.servers.store.ServerPortStore;
import dev.kiln.compute.servers.store.ServerStore;
import dev.kiln.network.NetworkService;
import dev.kiln.network.Port;
import dev.kiln.network.Ports;
import dev.kiln.store.Database;
import dev.kiln.tasks.Task;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task's side of an interface attach or detach ({@link ServerInterfaces} is the request's):
 * the steps of the durable {@code server.interface} task, each recorded or repeatable so that a
 * runner taking the task over after a crash finishes the operation or undoes it, and the
 * settling that gives the server back and wakes the waiting request.
 */
final class InterfaceSteps {
  private static final Logger LOG = LoggerFactory.getLogger(InterfaceSteps.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The task state of a server whose delete has begun (a reset-state leaves it in place). */
  private static final String DELETING = "deleting";

  private final Database db;
  private final Clock clock;
  private final HypervisorDriver driver;
  private final NetworkService network;
  private final Servers servers;
  private final InterfaceWaits waits;

  InterfaceSteps(
      Database db, Clock clock, HypervisorDriver driver, NetworkService network, Servers servers, InterfaceWaits waits) {
    this.db = requireNonNull(db, "db is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.driver = requireNonNull(driver, "driver is null");
    this.network = requireNonNull(network, "network is null");
    this.servers = requireNonNull(servers, "servers is null");
    this.waits = requireNonNull(waits, "waits is null");
  }

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
      // Deleted meanwhile, or a delete or an admin's reset-state took the server over before the
      // attach began: give back what an earlier attempt bound.
      undoAttach(op, server);
      settle(op, takenOver(op, server));
      return;
    }
    if (!retried && op.networkId() == null && op.portId() != null) {
      // The request found the user's port free, but another attach may have taken it since (to
      // this server too: that attach has ended, or this one could not have begun). It is that
      // attach's now: refused as Nova refuses a port in use, and nothing undone, for nothing
      // here was done (undoing would unplug the other attach after its answer).
      Optional<Port> now = portOf(server, op.portId());
      if (now.isPresent() && !now.get().deviceId().isEmpty()) {
        end(
            op, server,
            ServiceException.conflict("PortInUse", "Port " + op.portId() + " is still in use."));
        return;
      }
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
        Server now = servers.find(server.id()).orElse(null);
        if (now == null || DELETING.equals(now.taskState())) {
          // A delete took the server over meanwhile: give the port back as the delete would.
          undoAttach(op, server);
          settle(op, Servers.notFound(server.id()));
        } else {
          // An admin's reset-state took the server over while the port was being plugged: the
          // attach is done, as Nova's compute finishes one whatever the API's state says.
          settle(op, null);
        }
      }
    } catch (HypervisorException e) {
      undoAttach(op, server);
      end(
          op, server,
          ServiceException.failed(
              "InterfaceAttachFailed", "Failed to attach network adapter device to " + server.id() + ": " + e.getMessage()));
    } catch (ServiceException e) {
      undoAttach(op, server);
      end(op, server, e);
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
      settle(op, takenOver(op, server)); // a delete gives the port back; a reset-state leaves it
      return;
    }
    try {
      driver.detachInterface(new InterfaceRequest(new InstanceRef(server.id(), server.host()), op.portId(), null));
    } catch (HypervisorException e) {
      end(
          op, server,
          ServiceException.failed(
              "InterfaceDetachFailed", "Failed to detach network adapter device from " + server.id() + ": " + e.getMessage()));
      return;
    }
    servers.releasePort(server, new PluggedPort(op.portId(), op.ownedByCompute()));
    db.inTransaction(sql -> new ServerPortStore(sql).detach(server.id(), op.portId()));
    end(op, server, null);
  }

  /**
   * Why an operation that has not begun cannot go on with a server it no longer holds: the server
   * is gone or being deleted (404, as Nova answers for a deleted instance), or an admin's
   * reset-state cleared its task state first (409: nothing was changed, and the request may be
   * made again).
   */
  private static ServiceException takenOver(InterfaceOp op, Server server) {
    if (server == null || DELETING.equals(server.taskState())) {
      return Servers.notFound(op.serverId());
    }
    return ServiceException.conflict(
        "InstanceInvalidState",
        "Cannot '" + op.kind().action + "' instance " + op.serverId() + ": its state was reset before the "
            + op.kind().action.replace('_', ' ') + " began, and nothing was changed. Make the request again.");
  }

  /**
   * After the task's last attempt failed unexpectedly: undoes an attach, gives the server back and
   * ends the operation in error, so its request answers and the server is free again.
   */
  void giveUp(Task task, String error) {
    InterfaceOp op = op(task).orElse(null);
    if (op == null || op.status() != InterfaceOp.Status.PENDING) {
      return;
    }
    Server server = servers.find(op.serverId()).orElse(null);
    if (op.kind() == InterfaceOp.Kind.ATTACH) {
      try {
        undoAttach(op, server);
      } catch (RuntimeException e) {
        // The last word on the operation must still be said, or the server stays
        // interface_attaching for good. The port's release failed before the server forgot it,
        // so the server still lists the port it is plugged into: the attach stands, reported failed.
        LOG.warn("Could not take back port {} of server {} after its attach failed: {}", op.portId(), op.serverId(),
            e.getMessage());
      }
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
      waits.wake(op.id());
    }
    return finished;
  }

  /**
   * Ends the operation as {@link #finish} does; when the server's task state is no longer this
   * operation's (an admin's reset-state, or a delete, took the server over), the operation is
   * still settled with its outcome, or its request would wait until its time ran out.
   */
  private void end(InterfaceOp op, Server server, ServiceException error) {
    if (finish(op, server, error)) {
      return;
    }
    settle(op, error);
  }

  /**
   * Ends the operation without touching the server (gone, or another change's now): in error, or
   * done when {@code error} is null.
   */
  private void settle(InterfaceOp op, ServiceException error) {
    new InterfaceOpStore(db.sql())
        .settle(
            op.id(), error == null ? InterfaceOp.Status.DONE : InterfaceOp.Status.FAILED,
            error == null ? null : InterfaceOp.Error.of(error), now());
    waits.wake(op.id());
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

  /** The port as Networking has it now, seen with the server's project's rights; empty if gone. */
  private Optional<Port> portOf(Server server, String portId) {
    try {
      return Optional.of(network.ports().visible(Servers.system(server), portId));
    } catch (ServiceException e) {
      return Optional.empty();
    }
  }

  private Optional<InterfaceOp> op(Task task) {
    try {
      return new InterfaceOpStore(db.sql()).find(JSON.readTree(task.payload()).path("op_id").asText());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("unreadable interface task " + task.id(), e);
    }
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
