package dev.kiln.compute.quotas;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.common.ServiceException;
import dev.kiln.compute.ComputeService;
import dev.kiln.compute.TestVolumes;
import dev.kiln.compute.catalog.SshKeysTest;
import dev.kiln.compute.fleet.FleetConfig;
import dev.kiln.compute.servers.Server;
import dev.kiln.compute.servers.Servers;
import dev.kiln.image.ImageService;
import dev.kiln.network.NetworkService;
import dev.kiln.network.Networks;
import dev.kiln.store.Database;
import dev.kiln.tasks.TaskRunner;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compute quotas on each database Kiln runs on (one subclass each): racing boots of one project
 * take exactly the places its quota has (and a user's boots those of the user's own limit), a limit
 * change waits for the boots in progress, racing user limits never add up past the project's, and
 * racing keypair creations of one user stop at the key_pairs quota.
 */
abstract class ComputeQuotasDatabaseTest {
  private static final Actor ADMIN = new Actor("admin-project", "admin", true);
  private static final Actor TENANT = new Actor("p1", "u1", false);
  private static final int RACERS = 12;

  @TempDir Path dataDir;
  private Database db;
  private TaskRunner tasks;
  private ComputeService compute;
  private Servers servers;
  private String imageId;
  private String networkId;

  protected abstract Database openNewDatabase();

  @BeforeEach
  void setUp() {
    db = openNewDatabase();
    Clock clock = Clock.systemUTC();
    IdGenerator ids = IdGenerator.random();
    tasks = new TaskRunner(db, clock, ids, "test-node"); // never started: nothing builds
    compute = ComputeService.start(db, clock, ids, new SecureRandom(), FleetConfig.defaults(List.of("kiln-compute-1")));
    NetworkService network = NetworkService.create(db, clock, ids, new SecureRandom(), compute.fleet());
    ImageService image = ImageService.create(db, clock, ids, dataDir);
    image.images().seedDefaultImage("admin-project");
    imageId = db.sql().query("SELECT id FROM image_image WHERE name = 'cirros'", row -> row.getString("id")).getFirst();
    servers = new Servers(db, clock, ids, compute.fleet(), compute.driver(), compute.flavors(), compute.keypairs(), compute.quotas(), network, image, TestVolumes.create(db, clock, ids, tasks), tasks);
    networkId = network.networks().create(TENANT, new Networks.Spec(null, "net", null, null, null, null, null, null)).id();
  }

  @AfterEach
  void tearDown() {
    tasks.close();
    db.close();
  }

  private Server boot(String name) {
    return servers.create(
        TENANT,
        new Servers.Spec(
            name, null, "1", imageId, List.of(new Servers.NetworkRequest(networkId, null, null)), false, null, Map.of(),
            null, null));
  }

  private long servers() {
    return db.sql().count("SELECT COUNT(*) FROM compute_server WHERE project_id = ?", TENANT.projectId());
  }

  @Test
  void racingBootsTakeExactlyTheQuotasPlaces() throws Exception {
    compute.quotas().update(ADMIN, TENANT.projectId(), Map.of(ComputeQuotas.INSTANCES, 5L), false);
    CyclicBarrier barrier = new CyclicBarrier(RACERS);
    ExecutorService pool = Executors.newFixedThreadPool(RACERS);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < RACERS; i++) {
        String name = "racer-" + i;
        results.add(
            pool.submit(
                () -> {
                  barrier.await();
                  try {
                    boot(name);
                    return true;
                  } catch (ServiceException e) {
                    assertThat(e.kind()).isEqualTo(ServiceException.Kind.FORBIDDEN);
                    assertThat(e.getMessage()).startsWith("Quota exceeded for instances: Requested 1, but already used 5 of 5");
                    return false;
                  }
                }));
      }
      int accepted = 0;
      for (Future<Boolean> result : results) {
        accepted += result.get() ? 1 : 0;
      }
      assertThat(accepted).isEqualTo(5);
      assertThat(servers()).isEqualTo(5);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aLimitRacingBootsIsNeverSetBelowWhatTheyTook() throws Exception {
    CyclicBarrier barrier = new CyclicBarrier(RACERS + 1);
    ExecutorService pool = Executors.newFixedThreadPool(RACERS + 1);
    try {
      List<Future<?>> boots = new ArrayList<>();
      for (int i = 0; i < RACERS; i++) {
        String name = "racer-" + i;
        boots.add(
            pool.submit(
                () -> {
                  barrier.await();
                  try {
                    boot(name);
                  } catch (ServiceException e) {
                    assertThat(e.kind()).isEqualTo(ServiceException.Kind.FORBIDDEN);
                  }
                  return null;
                }));
      }
      Future<Boolean> lowered =
          pool.submit(
              () -> {
                barrier.await();
                try {
                  compute.quotas().update(ADMIN, TENANT.projectId(), Map.of(ComputeQuotas.INSTANCES, 4L), false);
                  return true;
                } catch (ServiceException e) {
                  assertThat(e.getMessage()).startsWith("Quota limit 4 for instances must be greater than or equal to");
                  return false;
                }
              });
      for (Future<?> boot : boots) {
        boot.get();
      }
      long limit = compute.quotas().limits(ADMIN, TENANT.projectId()).get(ComputeQuotas.INSTANCES);
      if (lowered.get()) {
        assertThat(limit).isEqualTo(4);
        assertThat(servers()).isLessThanOrEqualTo(4);
      } else {
        assertThat(limit).isEqualTo(10);
        assertThat(servers()).isGreaterThan(4).isLessThanOrEqualTo(10);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void racingBootsOfAUserTakeExactlyTheUsersOwnPlaces() throws Exception {
    compute.quotas().users().update(ADMIN, TENANT.projectId(), TENANT.userId(), Map.of(ComputeQuotas.INSTANCES, 3L), false);
    CyclicBarrier barrier = new CyclicBarrier(RACERS);
    ExecutorService pool = Executors.newFixedThreadPool(RACERS);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < RACERS; i++) {
        String name = "user-racer-" + i;
        results.add(
            pool.submit(
                () -> {
                  barrier.await();
                  try {
                    boot(name);
                    return true;
                  } catch (ServiceException e) {
                    assertThat(e.getMessage()).startsWith("Quota exceeded for instances: Requested 1, but already used 3 of 3");
                    return false;
                  }
                }));
      }
      int accepted = 0;
      for (Future<Boolean> result : results) {
        accepted += result.get() ? 1 : 0;
      }
      assertThat(accepted).isEqualTo(3);
      assertThat(servers()).isEqualTo(3);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void racingUserLimitsNeverTogetherExceedTheProjects() throws Exception {
    compute.quotas().update(ADMIN, TENANT.projectId(), Map.of(ComputeQuotas.CORES, 10L), false);
    CyclicBarrier barrier = new CyclicBarrier(RACERS);
    ExecutorService pool = Executors.newFixedThreadPool(RACERS);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < RACERS; i++) {
        String user = "racing-user-" + i;
        results.add(
            pool.submit(
                () -> {
                  barrier.await();
                  try {
                    compute.quotas().users().update(ADMIN, TENANT.projectId(), user, Map.of(ComputeQuotas.CORES, 3L), false);
                    return true;
                  } catch (ServiceException e) {
                    assertThat(e.getMessage()).startsWith("Quota limit 3 for cores must be less than or equal to 1");
                    return false;
                  }
                }));
      }
      int accepted = 0;
      for (Future<Boolean> result : results) {
        accepted += result.get() ? 1 : 0;
      }
      assertThat(accepted).isEqualTo(3);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void racingKeypairImportsTakeExactlyTheKeyPairsQuota() throws Exception {
    compute.quotas().update(ADMIN, TENANT.projectId(), Map.of(ComputeQuotas.KEY_PAIRS, 3L), false);
    CyclicBarrier barrier = new CyclicBarrier(RACERS);
    ExecutorService pool = Executors.newFixedThreadPool(RACERS);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < RACERS; i++) {
        String name = "key-" + i;
        results.add(
            pool.submit(
                () -> {
                  barrier.await();
                  try {
                    compute.keypairs().importKey(TENANT, null, name, SshKeysTest.ED25519, null);
                    return true;
                  } catch (ServiceException e) {
                    assertThat(e.getMessage()).isEqualTo("Quota exceeded, too many key pairs.");
                    return false;
                  }
                }));
      }
      int accepted = 0;
      for (Future<Boolean> result : results) {
        accepted += result.get() ? 1 : 0;
      }
      assertThat(accepted).isEqualTo(3);
      assertThat(compute.keypairs().list(TENANT, null, null, null).keypairs()).hasSize(3);
    } finally {
      pool.shutdownNow();
    }
  }
}
