package dev.kiln.compute.attach;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.common.Actor;
import dev.kiln.compute.InProcessCompute;
import dev.kiln.compute.servers.Server;
import dev.kiln.compute.servers.Server.PluggedPort;
import dev.kiln.compute.servers.Servers;
import dev.kiln.network.Port;
import dev.kiln.network.PortBinding;
import dev.kiln.network.Ports;
import dev.kiln.store.Database;
import dev.kiln.tasks.Task;
import dev.kiln.testing.Await;
import dev.kiln.testing.KillAt;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An interface attach and detach of a user's port, each with a kill at each commit of its task in
 * turn, then the task run again as the node that takes it over runs it (the request waits for the
 * outcome meanwhile, as it does for a task another node runs). Whether the change was made or
 * undone, the server is settled, every port it lists names it and is bound once, active on its
 * host, and no other port names it; a detached user's port is kept, unbound. Once the server is
 * deleted no host holds a claim.
 */
abstract class InterfacesKilledAtAnyCommitTest {
  private static final Actor TENANT = InProcessCompute.TENANT;
  private static final Actor ADMIN = new Actor("admin-project", "admin", true);
  private static final List<String> HOSTS = List.of("kiln-compute-1", "kiln-compute-2");

  @TempDir Path dataDir;
  private InProcessCompute cloud;
  private Servers servers;
  private ServerInterfaces interfaces;
  /** The task's steps, as the node that runs the task has them. */
  private InterfaceSteps steps;

  protected abstract Database openNewDatabase();

  @BeforeEach
  void setUp() {
    cloud = InProcessCompute.open(openNewDatabase(), dataDir, HOSTS, "10.7.0.0/24");
    servers = cloud.servers();
    interfaces =
        new ServerInterfaces(
            cloud.db(), cloud.clock(), cloud.ids(), cloud.compute().driver(), cloud.network(), servers, cloud.tasks());
    steps =
        new InterfaceSteps(
            cloud.db(), cloud.clock(), cloud.compute().driver(), cloud.network(), servers, new InterfaceWaits(cloud.db()));
  }

  @AfterEach
  void tearDown() {
    cloud.close();
  }

  @Test
  void anAttachAndADetachKilledAtAnyCommitAndTakenOverLeaveEachPortBoundOnceWhereItBelongs() throws Exception {
    for (int commit = 0; ; commit++) {
      Server server = activeServer();
      String userPort = userPort();
      int killAt = commit;
      boolean attachKilled =
          killedAndTakenOver(
              killAt, () -> interfaces.attach(TENANT, server.id(), new ServerInterfaces.AttachRequest(userPort, null, List.of(), null)));
      assertWhole(server.id(), "attach killed at commit " + commit);

      boolean detachKilled = false;
      if (attached(server.id(), userPort)) {
        detachKilled = killedAndTakenOver(killAt, () -> interfaces.detach(TENANT, server.id(), userPort));
        assertWhole(server.id(), "detach killed at commit " + commit);
      }
      if (!attached(server.id(), userPort)) {
        Port kept = cloud.network().ports().visible(ADMIN, userPort);
        assertThat(kept.deviceId()).as("the user's port once detached, commit " + commit).isEmpty();
        assertThat(cloud.network().bindings().list(userPort)).as("its bindings").isEmpty();
      }

      servers.delete(ADMIN, server.id());
      servers.finishDelete(cloud.newestTask(Servers.DELETE_TASK));
      cloud.assertNoHostHoldsAClaim(HOSTS);
      if (!attachKilled && !detachKilled) {
        assertThat(commit).as("commits at which a kill came").isPositive();
        return;
      }
    }
  }

  /** An attach to a network: the port Compute makes for it is the server's, or it is gone. */
  @Test
  void aNetworkAttachKilledAtAnyCommitAndTakenOverLeavesNoPortBehind() throws Exception {
    for (int commit = 0; ; commit++) {
      Server server = activeServer();
      boolean killed =
          killedAndTakenOver(
              commit,
              () -> interfaces.attach(TENANT, server.id(), new ServerInterfaces.AttachRequest(null, cloud.networkId(), List.of(), null)));
      assertWhole(server.id(), "network attach killed at commit " + commit);
      servers.delete(ADMIN, server.id());
      servers.finishDelete(cloud.newestTask(Servers.DELETE_TASK));
      assertThat(cloud.network().ports().list(ADMIN).stream().filter(p -> p.deviceId().equals(server.id())))
          .as("ports naming the deleted server, network attach killed at commit " + commit)
          .isEmpty();
      assertThat(cloud.network().ports().list(ADMIN)).as("ports left, network attach killed at commit " + commit).isEmpty();
      if (!killed) {
        assertThat(commit).as("commits at which a kill came").isPositive();
        return;
      }
    }
  }

  /**
   * An admin's reset-state that clears the server's task state after the attach request but before
   * its task begins: the task changes nothing and the request is refused (409), not told that the
   * server does not exist.
   */
  @Test
  void anAttachWhoseServerIsResetBeforeItsTaskBeginsIsRefusedAndChangesNothing() throws Exception {
    Server server = activeServer();
    String userPort = userPort();
    java.util.concurrent.CompletableFuture<Object> answer =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> interfaces.attach(TENANT, server.id(), new ServerInterfaces.AttachRequest(userPort, null, List.of(), null)),
            java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
    Await.until(() -> !cloud.queuedTasks(ServerInterfaces.TASK).isEmpty(), Duration.ofSeconds(10), "the request's task");
    Task task = cloud.queuedTasks(ServerInterfaces.TASK).getFirst();
    cloud.db().sql().update("UPDATE compute_server SET task_state = NULL WHERE id = ?", server.id()); // the reset

    steps.perform(task);

    assertThat(answer).failsWithin(Duration.ofSeconds(10))
        .withThrowableThat()
        .havingRootCause()
        .isInstanceOfSatisfying(
            dev.kiln.common.ServiceException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(dev.kiln.common.ServiceException.Kind.CONFLICT);
              assertThat(e.getMessage()).contains("reset");
            });
    assertThat(attached(server.id(), userPort)).as("the port on the server").isFalse();
    assertThat(cloud.network().ports().visible(ADMIN, userPort).deviceId()).as("the port's device").isEmpty();
  }

  /**
   * Sends the request on its own thread, runs its task with a kill at {@code commit}, then runs
   * it again as another node would, and waits for the request's answer; whether the kill came.
   */
  private boolean killedAndTakenOver(int commit, Runnable request) throws Exception {
    Thread client =
        Thread.ofVirtual().start(() -> {
          try {
            request.run();
          } catch (RuntimeException e) {
            // a failed attach or detach answers its error: what it left is what is checked
          }
        });
    Await.until(() -> !cloud.queuedTasks(ServerInterfaces.TASK).isEmpty(), Duration.ofSeconds(10), "the request's task");
    Task task = cloud.queuedTasks(ServerInterfaces.TASK).getFirst();
    cloud.db().sql().update("UPDATE task SET status = 'RUNNING' WHERE id = ?", task.id());
    boolean killed = KillAt.killedAt(commit, () -> steps.perform(task));
    steps.perform(InProcessCompute.retried(task));
    cloud.db().sql().update("UPDATE task SET status = 'SUCCEEDED' WHERE id = ?", task.id());
    client.join(Duration.ofSeconds(30));
    assertThat(client.isAlive()).as("the request answered").isFalse();
    return killed;
  }

  /** A new port of the tenant's on the test network, free. */
  private String userPort() {
    return cloud.network().ports().create(
            TENANT,
            new Ports.Spec(null, cloud.networkId(), "mine", null, null, null, null, null, null, null, null, null, null, null))
        .id();
  }

  private boolean attached(String serverId, String portId) {
    return servers.get(serverId).ports().stream().anyMatch(p -> p.portId().equals(portId));
  }

  /** Settled; each port the server lists names it, bound once, active on its host; no other does. */
  private void assertWhole(String serverId, String when) {
    Server server = servers.get(serverId);
    assertThat(server.taskState()).as("task state, " + when).isNull();
    assertThat(server.status()).as("status, " + when).isEqualTo(Server.ACTIVE);
    List<String> listed = server.ports().stream().map(PluggedPort::portId).toList();
    assertThat(cloud.network().ports().list(ADMIN).stream().filter(p -> p.deviceId().equals(serverId)).map(Port::id))
        .as("ports naming the server, " + when)
        .containsExactlyInAnyOrderElementsOf(listed);
    for (String portId : listed) {
      List<PortBinding> bindings = cloud.network().bindings().list(portId);
      assertThat(bindings).as("bindings of " + portId + ", " + when).hasSize(1);
      assertThat(bindings.getFirst().host()).as("binding's host, " + when).isEqualTo(server.host());
      assertThat(bindings.getFirst().status()).as("binding's status, " + when).isEqualTo(PortBinding.Status.ACTIVE);
    }
  }

  private Server activeServer() throws Exception {
    Server server =
        servers.create(
            TENANT,
            new Servers.Spec(
                "vm", null, "1", cloud.imageId(), List.of(new Servers.NetworkRequest(cloud.networkId(), null, null)), false,
                null, Map.of(), null, null));
    servers.build(cloud.newestTask(Servers.BUILD_TASK));
    return servers.get(server.id());
  }
}
