package dev.kiln.compute.moves;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.common.Actor;
import dev.kiln.compute.ComputeService;
import dev.kiln.compute.InProcessCompute;
import dev.kiln.compute.actions.ServerRebuilds;
import dev.kiln.compute.fleet.Claim;
import dev.kiln.compute.fleet.Resources;
import dev.kiln.compute.servers.Migration;
import dev.kiln.compute.servers.Server;
import dev.kiln.compute.servers.Servers;
import dev.kiln.network.NetworkService;
import dev.kiln.network.Port;
import dev.kiln.store.Database;
import dev.kiln.tasks.Task;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code server.move} and {@code server.rebuild} tasks run by hand on each database: every step
 * is safe to repeat, and the claims always match where the server is.
 */
abstract class ServerMovesTaskTest {
  private static final Actor TENANT = InProcessCompute.TENANT;
  private static final Actor ADMIN = new Actor("admin-project", "admin", true);
  private static final List<String> HOSTS = List.of("kiln-compute-1", "kiln-compute-2", "kiln-compute-3");
  private static final Resources TINY = new Resources(1, 512, 1);
  private static final Resources SMALL = new Resources(1, 2048, 20);

  @TempDir Path dataDir;
  private InProcessCompute cloud;
  private Database db;
  private ComputeService compute;
  private NetworkService network;
  private Servers servers;
  private ServerMoves moves;
  private ServerRebuilds rebuilds;
  private String imageId;
  private String networkId;

  protected abstract Database openNewDatabase();

  @BeforeEach
  void setUp() {
    cloud = InProcessCompute.open(openNewDatabase(), dataDir, HOSTS, "10.5.0.0/24");
    db = cloud.db();
    compute = cloud.compute();
    network = cloud.network();
    servers = cloud.servers();
    imageId = cloud.imageId();
    networkId = cloud.networkId();
    moves =
        new ServerMoves(
            db, cloud.clock(), cloud.ids(), compute.fleet(), compute.driver(), compute.flavors(), compute.quotas(), servers,
            network, cloud.tasks());
    rebuilds = new ServerRebuilds(db, cloud.clock(), cloud.ids(), compute.driver(), compute.keypairs(), servers, cloud.image(), cloud.tasks());
  }

  @AfterEach
  void tearDown() {
    cloud.close();
  }

  private Server activeServer() throws Exception {
    Server server =
        servers.create(
            TENANT,
            new Servers.Spec(
                "vm", null, "1", imageId, List.of(new Servers.NetworkRequest(networkId, null, null)), false, null,
                Map.of(), null, null));
    servers.build(newestTask(Servers.BUILD_TASK));
    Server built = servers.get(server.id());
    assertThat(built.status()).isEqualTo(Server.ACTIVE);
    return built;
  }

  private Task newestTask(String kind) {
    return cloud.newestTask(kind);
  }

  /** Runs the newest move task twice: the second run must change nothing. */
  private void runMoveTwice() throws Exception {
    Task task = newestTask(ServerMoves.MOVE_TASK);
    moves.perform(task);
    moves.perform(task);
  }

  private Resources used(String host) {
    return compute.fleet().hypervisor(host).orElseThrow().used();
  }

  private String bindingHost(String portId) {
    Port port = network.ports().visible(ADMIN, portId);
    return port.activeBinding() == null ? "" : port.activeBinding().host();
  }

  @Test
  void aRepeatedResizeAndConfirmClaimOnceAndLeaveTheServerHoldingTheDestination() throws Exception {
    Server server = activeServer();
    String source = server.host();
    Migration migration = moves.resize(TENANT, server.id(), "2");
    assertThat(servers.get(server.id()).status()).isEqualTo(ServerMoves.RESIZE);
    runMoveTwice();

    Server resized = servers.get(server.id());
    assertThat(resized.status()).isEqualTo(ServerMoves.VERIFY_RESIZE);
    assertThat(resized.flavor().id()).isEqualTo("2");
    String destination = resized.host();
    assertThat(destination).isNotEqualTo(source);
    assertThat(bindingHost(resized.ports().getFirst().portId())).isEqualTo(destination);
    assertThat(compute.fleet().findClaim(migration.uuid()).orElseThrow().host()).isEqualTo(destination);
    assertThat(used(source)).isEqualTo(TINY);
    assertThat(used(destination)).isEqualTo(SMALL);

    Task move = newestTask(ServerMoves.MOVE_TASK);
    moves.confirm(TENANT, server.id());
    moves.perform(move); // the resize's task, run again late, leaves the confirm alone
    assertThat(compute.fleet().findClaim(migration.uuid())).isPresent();
    runMoveTwice();
    Server confirmed = servers.get(server.id());
    assertThat(confirmed.status()).isEqualTo(Server.ACTIVE);
    assertThat(compute.fleet().findClaim(migration.uuid())).isEmpty();
    Claim claim = compute.fleet().findClaim(server.id()).orElseThrow();
    assertThat(claim.host()).isEqualTo(destination);
    assertThat(claim.resources()).isEqualTo(SMALL);
    assertThat(used(source)).isEqualTo(Resources.NONE);
    assertThat(moves.migrations(new ServerMoves.MigrationQuery(null, "confirmed", server.id(), "resize", source, null, null)))
        .extracting(Migration::uuid)
        .containsExactly(migration.uuid());
  }

  @Test
  void aRepeatedRevertPutsEverythingBackAsItWas() throws Exception {
    Server server = activeServer();
    moves.resize(TENANT, server.id(), "2");
    runMoveTwice();
    String destination = servers.get(server.id()).host();
    moves.revert(TENANT, server.id());
    assertThat(servers.get(server.id()).status()).isEqualTo(ServerMoves.REVERT_RESIZE);
    runMoveTwice();

    Server reverted = servers.get(server.id());
    assertThat(reverted.status()).isEqualTo(Server.ACTIVE);
    assertThat(reverted.host()).isEqualTo(server.host());
    assertThat(reverted.flavor()).isEqualTo(server.flavor());
    assertThat(reverted.availabilityZone()).isEqualTo(server.availabilityZone());
    assertThat(bindingHost(reverted.ports().getFirst().portId())).isEqualTo(server.host());
    assertThat(used(server.host())).isEqualTo(TINY);
    assertThat(used(destination)).isEqualTo(Resources.NONE);
    assertThat(moves.migrations(new ServerMoves.MigrationQuery(destination, null, null, null, null, null, null)))
        .extracting(Migration::status)
        .containsExactly(Migration.REVERTED);
  }

  @Test
  void deletingAServerMidMoveOrWaitingToBeVerifiedLeaksNoClaim() throws Exception {
    Server waiting = activeServer();
    Migration verified = moves.migrate(ADMIN, waiting.id(), null);
    runMoveTwice();
    assertThat(servers.get(waiting.id()).status()).isEqualTo(ServerMoves.VERIFY_RESIZE);
    servers.delete(TENANT, waiting.id());
    servers.finishDelete(newestTask(Servers.DELETE_TASK));
    assertThat(compute.fleet().findClaim(verified.uuid())).isEmpty();
    assertThat(compute.fleet().findClaim(waiting.id())).isEmpty();

    // Deleted after the destination was claimed but before the move finished: the move task,
    // running afterwards, gives the claim back.
    Server moving = activeServer();
    Migration started = moves.resize(TENANT, moving.id(), "2");
    assertThat(compute.fleet().claim(started.uuid(), "kiln-compute-3", SMALL)).isTrue();
    servers.delete(TENANT, moving.id());
    servers.finishDelete(newestTask(Servers.DELETE_TASK));
    moves.perform(newestTask(ServerMoves.MOVE_TASK));
    assertThat(compute.fleet().findClaim(started.uuid())).isEmpty();
    for (String host : HOSTS) {
      assertThat(used(host)).as(host).isEqualTo(Resources.NONE);
    }
    assertThat(moves.migrations(new ServerMoves.MigrationQuery(null, null, moving.id(), null, null, null, null)))
        .extracting(Migration::status)
        .containsExactly(Migration.ERROR);
  }

  @Test
  void aMoveTaskThatGivesUpLeavesTheServerInErrorWithClaimsWhereItIsShown() throws Exception {
    Server early = activeServer();
    Migration unscheduled = moves.resize(TENANT, early.id(), "2");
    assertThat(compute.fleet().claim(unscheduled.uuid(), "kiln-compute-3", SMALL)).isTrue();
    moves.giveUp(newestTask(ServerMoves.MOVE_TASK), "Networking is down");
    Server failed = servers.get(early.id());
    assertThat(failed.status()).isEqualTo(Server.ERROR);
    assertThat(failed.fault().message()).isEqualTo("Networking is down");
    assertThat(failed.host()).isEqualTo(early.host());
    assertThat(failed.flavor()).isEqualTo(early.flavor());
    assertThat(compute.fleet().findClaim(unscheduled.uuid())).isEmpty();

    Server late = activeServer();
    Migration confirming = moves.resize(TENANT, late.id(), "2");
    runMoveTwice();
    String destination = servers.get(late.id()).host();
    moves.confirm(TENANT, late.id());
    moves.giveUp(newestTask(ServerMoves.MOVE_TASK), "Hypervisor is gone");
    Server stuck = servers.get(late.id());
    assertThat(stuck.status()).isEqualTo(Server.ERROR);
    assertThat(stuck.host()).isEqualTo(destination);
    assertThat(compute.fleet().findClaim(late.id()).orElseThrow().host()).isEqualTo(destination);
    assertThat(compute.fleet().findClaim(confirming.uuid())).isEmpty();
    assertThat(moves.migrations(new ServerMoves.MigrationQuery(null, "error", null, null, null, null, null))).hasSize(2);
  }

  @Test
  void aRepeatedRebuildChangesTheImageOnce() throws Exception {
    Server server = activeServer();
    Server rebuilding =
        rebuilds.rebuild(
            TENANT, server.id(),
            new ServerRebuilds.Spec(imageId, "renamed", Map.of("k", "v"), true, "d", false, null, false, null, false));
    assertThat(rebuilding.status()).isEqualTo(ServerRebuilds.REBUILD);
    Task task = newestTask(ServerRebuilds.REBUILD_TASK);
    rebuilds.perform(task);
    Server rebuilt = servers.get(server.id());
    rebuilds.perform(task);
    assertThat(servers.get(server.id())).isEqualTo(rebuilt);
    assertThat(rebuilt.status()).isEqualTo(Server.ACTIVE);
    assertThat(rebuilt.name()).isEqualTo("renamed");
    assertThat(rebuilt.description()).isEqualTo("d");
    assertThat(rebuilt.metadata()).isEqualTo(Map.of("k", "v"));
    assertThat(rebuilt.ports()).isEqualTo(server.ports());
    assertThat(rebuilt.host()).isEqualTo(server.host());
  }
}
