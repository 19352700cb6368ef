package dev.kiln.compute.servers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.common.ServiceException;
import dev.kiln.compute.ComputeService;
import dev.kiln.compute.TestVolumes;
import dev.kiln.compute.actions.ServerActions;
import dev.kiln.compute.fleet.FleetConfig;
import dev.kiln.compute.fleet.Resources;
import dev.kiln.image.ImageService;
import dev.kiln.network.NetworkService;
import dev.kiln.network.Networks;
import dev.kiln.network.Port;
import dev.kiln.network.Ports;
import dev.kiln.network.Subnets;
import dev.kiln.store.Database;
import dev.kiln.tasks.Task;
import dev.kiln.tasks.TaskRunner;
import dev.kiln.tasks.TaskStatus;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code server.build} task run by hand: it is safe to repeat, after it finished or after an
 * attempt that died between its steps.
 */
abstract class ServersBuildTest {
  private static final Actor TENANT = new Actor("p1", "u1", false);
  private static final List<String> HOSTS = List.of("kiln-compute-1", "kiln-compute-2", "kiln-compute-3");

  @TempDir Path dataDir;
  private Database db;
  private TaskRunner tasks;
  private ComputeService compute;
  private NetworkService network;
  private Servers servers;
  private String imageId;
  private String networkId;

  protected abstract Database openNewDatabase();

  @BeforeEach
  void setUp() {
    db = openNewDatabase();
    Clock clock = Clock.systemUTC();
    IdGenerator ids = IdGenerator.random();
    tasks = new TaskRunner(db, clock, ids, "test-node"); // never started: tests run the handler
    compute = ComputeService.start(db, clock, ids, new SecureRandom(), FleetConfig.defaults(HOSTS));
    network = NetworkService.create(db, clock, ids, new SecureRandom(), compute.fleet());
    ImageService image = ImageService.create(db, clock, ids, dataDir);
    image.images().seedDefaultImage("admin-project");
    imageId = db.sql().query("SELECT id FROM image_image WHERE name = 'cirros'", row -> row.getString("id")).getFirst();
    servers = new Servers(db, clock, ids, compute.fleet(), compute.driver(), compute.flavors(), compute.keypairs(), compute.quotas(), network, image, TestVolumes.create(db, clock, ids, tasks), tasks);
    networkId = network.networks().create(TENANT, new Networks.Spec(null, "net", null, null, null, null, null, null)).id();
    network.subnets().create(
        TENANT,
        new Subnets.Spec(null, networkId, "sub", null, 4, "10.5.0.0/24", false, null, null, null, null, null, null, null));
  }

  @AfterEach
  void tearDown() {
    tasks.close();
    db.close();
  }

  private Server create() {
    return servers.create(
        TENANT,
        new Servers.Spec(
            "vm", null, "1", imageId, List.of(new Servers.NetworkRequest(networkId, null, null)), false, null, Map.of(),
            null, null));
  }

  private static Task task(Server server, String networkId) {
    String payload =
        "{\"server_id\":\"" + server.id() + "\",\"networks\":[{\"position\":0,\"network_id\":\"" + networkId
            + "\",\"fixed_ip\":null}]}";
    Instant now = Instant.now();
    return new Task("t", Servers.BUILD_TASK, payload, TaskStatus.RUNNING, 1, 3, now, "test-node", now, null, null, now, now);
  }

  /** Deletes through the API's call, then runs the delete task by hand. */
  private void delete(Actor actor, Server server) throws Exception {
    servers.delete(actor, server.id());
    assertThat(servers.get(server.id()).taskState()).isEqualTo("deleting");
    Instant now = Instant.now();
    servers.finishDelete(
        new Task("d", Servers.DELETE_TASK, "{\"server_id\":\"" + server.id() + "\"}", TaskStatus.RUNNING, 1, 5, now,
            "test-node", now, null, null, now, now));
  }

  private List<Port> portsOf(String serverId) {
    return network.ports().list(new Actor(null, null, true)).stream().filter(p -> p.deviceId().equals(serverId)).toList();
  }

  @Test
  void aBuildThatKeepsFailingEndsInErrorAndGivesBackItsClaim() {
    Server server = create();
    assertThat(compute.fleet().claim(server.id(), "kiln-compute-2", server.flavor().resources(false))).isTrue();

    servers.giveUpBuild(task(server, networkId), "database unavailable");

    Server failed = servers.get(server.id());
    assertThat(failed.status()).isEqualTo(Server.ERROR);
    assertThat(failed.taskState()).isNull();
    assertThat(failed.fault().message()).contains("aborted").contains("database unavailable");
    assertThat(compute.fleet().findClaim(server.id())).isEmpty();
    assertThat(compute.fleet().free("kiln-compute-2")).isEqualTo(compute.fleet().hypervisor("kiln-compute-2").orElseThrow().capacity());
    // A give-up that arrives after the build finished changes nothing.
    servers.giveUpBuild(task(server, networkId), "late");
    assertThat(servers.get(server.id()).fault().message()).contains("database unavailable");
  }

  @Test
  void ofRacingStopsExactlyOneStartsAndTheOthersAreConflicts() throws Exception {
    ServerActions actions = new ServerActions(db, Clock.systemUTC(), IdGenerator.random(), compute.driver(), servers, tasks);
    Server server = create();
    servers.build(task(server, networkId));
    int racers = 8;
    java.util.concurrent.CyclicBarrier barrier = new java.util.concurrent.CyclicBarrier(racers);
    java.util.concurrent.atomic.AtomicInteger won = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger conflicts = new java.util.concurrent.atomic.AtomicInteger();
    List<Thread> threads = new java.util.ArrayList<>();
    for (int i = 0; i < racers; i++) {
      threads.add(Thread.ofVirtual().start(() -> {
        try {
          barrier.await();
          actions.start(TENANT, server.id(), ServerActions.Action.STOP);
          won.incrementAndGet();
        } catch (ServiceException e) {
          if (e.kind() == ServiceException.Kind.CONFLICT) {
            conflicts.incrementAndGet();
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }));
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(won.get()).isEqualTo(1);
    assertThat(conflicts.get()).isEqualTo(racers - 1);
    assertThat(servers.get(server.id()).taskState()).isEqualTo("powering-off");
  }

  @Test
  void aLockedServerIsOnlyDeletedByAnAdmin() throws Exception {
    Server server = create();
    servers.build(task(server, networkId));
    db.sql().update("UPDATE compute_server SET locked = TRUE WHERE id = ?", server.id());
    assertThatThrownBy(() -> servers.delete(TENANT, server.id()))
        .isInstanceOfSatisfying(
            ServiceException.class, e -> assertThat(e.kind()).isEqualTo(ServiceException.Kind.CONFLICT));
    assertThat(servers.get(server.id()).status()).isEqualTo(Server.ACTIVE);
    assertThat(portsOf(server.id())).hasSize(1);
    delete(new Actor(null, "admin", true), server);
    assertThat(servers.list(TENANT, new Servers.Query(false, null, null, null, null), null, null).servers()).isEmpty();
  }

  @Test
  void runningTheBuildAgainAfterItFinishedChangesNothing() throws Exception {
    Server server = create();
    assertThat(server.status()).isEqualTo(Server.BUILD);
    servers.build(task(server, networkId));
    Server built = servers.get(server.id());
    assertThat(built.status()).isEqualTo(Server.ACTIVE);
    assertThat(portsOf(server.id())).hasSize(1);
    Resources used = compute.fleet().hypervisor(built.host()).orElseThrow().used();

    servers.build(task(server, networkId));
    assertThat(servers.get(server.id())).isEqualTo(built);
    assertThat(portsOf(server.id())).hasSize(1);
    assertThat(compute.fleet().hypervisor(built.host()).orElseThrow().used()).isEqualTo(used);
  }

  @Test
  void aRetryAfterAnAttemptDiedMidwayReusesItsClaimAndPort() throws Exception {
    Server server = create();
    // What a first attempt did before its node died: the claim on host 3 and the port, recorded.
    assertThat(compute.fleet().claim(server.id(), "kiln-compute-3", server.flavor().resources(false))).isTrue();
    Port port =
        network.ports().create(
            TENANT, new Ports.Spec(null, networkId, "", null, null, null, null, null, null, null, null, null, null, null));
    db.sql().update(
        "INSERT INTO compute_server_port (server_id, port_id, owned_by_compute, position) VALUES (?, ?, TRUE, 0)",
        server.id(), port.id());

    servers.build(task(server, networkId));

    Server built = servers.get(server.id());
    assertThat(built.status()).isEqualTo(Server.ACTIVE);
    assertThat(built.host()).isEqualTo("kiln-compute-3");
    assertThat(portsOf(server.id())).extracting(Port::id).containsExactly(port.id());
    assertThat(compute.fleet().claimsOn("kiln-compute-3")).hasSize(1);
    assertThat(network.ports().list(new Actor(null, null, true))).hasSize(1);

    delete(TENANT, server);
    assertThat(servers.list(TENANT, new Servers.Query(false, null, null, null, null), null, null).servers()).isEmpty();
    assertThat(network.ports().list(new Actor(null, null, true))).isEmpty();
    assertThat(compute.fleet().findClaim(server.id())).isEmpty();
  }
}
