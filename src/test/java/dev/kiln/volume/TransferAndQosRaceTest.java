package dev.kiln.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.common.ServiceException;
import dev.kiln.store.Database;
import dev.kiln.store.TestPostgres;
import dev.kiln.tasks.TaskRunner;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Races of volume transfers and QoS associations on each database Kiln runs on: of racing
 * accepts (and a withdrawal) one wins and the quota usage moves once; of racing associations of
 * one type with different QoS specs one wins.
 */
abstract class TransferAndQosRaceTest {
  private static final Actor DONOR = new Actor("donor", "donor-user", false);
  private static final Actor ADMIN = new Actor("admin", "admin-user", true);

  private Database db;
  private TaskRunner tasks;
  private VolumeService service;

  protected abstract Database openDatabase();

  @BeforeEach
  void setUp() {
    db = openDatabase();
    tasks = new TaskRunner(db, Clock.systemUTC(), IdGenerator.random(), "test-node");
    service = VolumeService.create(
        db, Clock.systemUTC(), IdGenerator.random(), new SimulatedVolumeBackend(Duration.ZERO), tasks, ImageCatalog.NONE);
    tasks.start();
  }

  @AfterEach
  void tearDown() {
    tasks.close();
    db.close();
  }

  private static <T> List<Object> race(List<Callable<T>> runners) throws Exception {
    try (ExecutorService pool = Executors.newFixedThreadPool(runners.size())) {
      List<Future<T>> futures = new ArrayList<>();
      for (Callable<T> r : runners) {
        futures.add(pool.submit(r));
      }
      List<Object> outcomes = new ArrayList<>();
      for (Future<T> f : futures) {
        try {
          outcomes.add(f.get());
        } catch (java.util.concurrent.ExecutionException e) {
          outcomes.add(e.getCause() instanceof ServiceException s ? s.kind() : e.getCause());
        }
      }
      return outcomes;
    }
  }

  @Test
  void racingAcceptsAndAWithdrawalHaveOneWinnerAndMoveTheQuotaOnce() throws Exception {
    Volume volume = service.volumes().create(
        DONOR, new Volumes.Spec("v", null, 4, null, null, Map.of(), null, null, null, null));
    await().atMost(Duration.ofSeconds(10))
        .until(() -> service.volumes().visible(DONOR, volume.id()).status().equals(Volume.Status.AVAILABLE));
    VolumeTransfer.Created made = service.transfers().create(DONOR, volume.id(), null, false);
    List<Callable<Object>> runners = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      Actor recipient = new Actor("recipient-" + i, "user-" + i, false);
      runners.add(() -> service.transfers().accept(recipient, made.transfer().id(), made.authKey()));
    }
    runners.add(() -> {
      service.transfers().delete(DONOR, made.transfer().id());
      return "withdrawn";
    });
    List<Object> outcomes = race(runners);

    assertThat(outcomes).filteredOn(o -> !(o instanceof ServiceException.Kind)).hasSize(1);
    assertThat(outcomes).filteredOn(o -> o instanceof ServiceException.Kind).containsOnly(ServiceException.Kind.NOT_FOUND);
    Volume after = service.volumes().visible(ADMIN, volume.id());
    assertThat(after.status()).isEqualTo(Volume.Status.AVAILABLE);
    long gigabytesInUse = 0;
    for (String project : List.of("donor", "recipient-0", "recipient-1", "recipient-2", "recipient-3", "recipient-4",
        "recipient-5", "recipient-6", "recipient-7")) {
      gigabytesInUse += service.quotas().usage(ADMIN, project).get(VolumeQuotas.GIGABYTES).inUse();
    }
    assertThat(gigabytesInUse).as("the volume's 4 GB are counted once, by its owner").isEqualTo(4);
    assertThat(service.quotas().usage(ADMIN, after.projectId()).get(VolumeQuotas.GIGABYTES).inUse()).isEqualTo(4);
  }

  @Test
  void racingAssociationsOfOneTypeHaveOneWinner() throws Exception {
    VolumeType type = service.types().create(ADMIN, new VolumeTypes.Spec("raced", null, true, Map.of()));
    List<Callable<Object>> runners = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      QosSpec qos = service.qos().create(ADMIN, "qos-" + i, Map.of());
      runners.add(() -> {
        service.qos().associate(ADMIN, qos.id(), type.id());
        return qos.id();
      });
    }
    List<Object> outcomes = race(runners);
    assertThat(outcomes).filteredOn(o -> o instanceof String).hasSize(1);
    assertThat(outcomes).filteredOn(o -> o instanceof ServiceException.Kind).containsOnly(ServiceException.Kind.INVALID);
    assertThat(service.types().find(type.id()).orElseThrow().qosSpecsId()).isEqualTo(outcomes.stream()
        .filter(o -> o instanceof String).findFirst().orElseThrow());
  }

  static class OnH2 extends TransferAndQosRaceTest {
    @Override
    protected Database openDatabase() {
      return Database.inMemory("transfer-" + System.nanoTime());
    }
  }

  static class OnPostgres extends TransferAndQosRaceTest {
    @Override
    protected Database openDatabase() {
      return TestPostgres.newDatabase();
    }
  }
}
