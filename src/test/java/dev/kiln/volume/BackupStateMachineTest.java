package dev.kiln.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.common.ServiceException;
import dev.kiln.store.Database;
import dev.kiln.tasks.TaskRunner;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The backup state machine in-process: the work after a request lives in durable tasks (a runner
 * that stops before running them leaves them for the next), racing creates on one volume let one
 * through, and failures leave the backup in error with the volume given back. One subclass per
 * database Kiln runs on.
 */
abstract class BackupStateMachineTest {
  private static final Actor TENANT = new Actor("tenant-1", "user-1", false);

  private Database db;
  private TaskRunner tasks;
  private VolumeService service;

  protected abstract Database openNewDatabase();

  @BeforeEach
  void setUp() {
    db = openNewDatabase();
    tasks = new TaskRunner(db, Clock.systemUTC(), IdGenerator.random(), "node-1");
    service = wire(tasks);
    tasks.start();
  }

  @AfterEach
  void tearDown() {
    tasks.close();
    db.close();
  }

  private VolumeService wire(TaskRunner runner) {
    return VolumeService.create(
        db, Clock.systemUTC(), IdGenerator.random(), new SimulatedVolumeBackend(Duration.ZERO), runner, ImageCatalog.NONE);
  }

  private Volume availableVolume(Map<String, String> metadata) {
    Volume volume = service.volumes().create(TENANT, new Volumes.Spec("v", null, 1, null, null, metadata, null, null, null, null));
    await().atMost(Duration.ofSeconds(10))
        .until(() -> service.volumes().visible(TENANT, volume.id()).status().equals(Volume.Status.AVAILABLE));
    return volume;
  }

  private static Backups.Spec full(String volumeId) {
    return new Backups.Spec(volumeId, null, "b", null, null, false, false, null, null);
  }

  private Backup backup(String id) {
    return service.backups().backups().visible(TENANT, id);
  }

  @Test
  void aBackupLeftQueuedByAStoppedRunnerFinishesUnderTheNextRunner() {
    Volume volume = availableVolume(Map.of());
    tasks.close(); // the node stops: nothing runs the backup's task now
    Backup made = service.backups().backups().create(TENANT, full(volume.id()));
    assertThat(backup(made.id()).status()).isEqualTo(Backup.Status.CREATING);
    assertThat(service.volumes().visible(TENANT, volume.id()).status()).isEqualTo(Backup.VolumeStatus.BACKING_UP);

    tasks = new TaskRunner(db, Clock.systemUTC(), IdGenerator.random(), "node-2");
    service = wire(tasks);
    tasks.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> backup(made.id()).status().equals(Backup.Status.AVAILABLE));
    assertThat(service.volumes().visible(TENANT, volume.id()).status()).isEqualTo(Volume.Status.AVAILABLE);
    assertThat(service.quotas().usage(TENANT, TENANT.projectId()).get(VolumeQuotas.BACKUPS).inUse()).isEqualTo(1);
  }

  @Test
  void racingBackupsOfOneVolumeLetExactlyOneThrough() throws Exception {
    Volume volume = availableVolume(Map.of());
    // No runner: a backup finishing during the race would rightly let the next one through.
    tasks.close();
    List<Object> results = race(() -> service.backups().backups().create(TENANT, full(volume.id())));
    assertThat(results).filteredOn(Backup.class::isInstance).hasSize(1);
    assertThat(results).filteredOn(ServiceException.class::isInstance)
        .allSatisfy(e -> assertThat(((ServiceException) e).getMessage()).contains("must be available or in-use"));
    assertThat(service.quotas().usage(TENANT, TENANT.projectId()).get(VolumeQuotas.BACKUPS).inUse()).isEqualTo(1);
  }

  @Test
  void racingCreatesFromOneBackupLetExactlyOneRestore() throws Exception {
    Volume source = availableVolume(Map.of());
    Backup made = service.backups().backups().create(TENANT, full(source.id()));
    await().atMost(Duration.ofSeconds(10)).until(() -> backup(made.id()).status().equals(Backup.Status.AVAILABLE));
    // No runner: a restore finishing during the race would rightly give the backup to the next.
    tasks.close();
    List<Object> results = race(() -> service.volumes().create(TENANT,
        new Volumes.Spec(null, null, null, null, null, Map.of(), null, null, null, null, null, made.id())));
    assertThat(results).filteredOn(Volume.class::isInstance).hasSize(1);
    assertThat(results).filteredOn(ServiceException.class::isInstance)
        .allSatisfy(e -> assertThat(((ServiceException) e).getMessage()).contains("Backup status must be available"));
    Volume winner = (Volume) results.stream().filter(Volume.class::isInstance).findFirst().orElseThrow();
    assertThat(backup(made.id()).status()).isEqualTo(Backup.Status.RESTORING);
    assertThat(service.volumes().list(TENANT, false)).extracting(Volume::id).containsExactlyInAnyOrder(source.id(), winner.id());
    assertThat(service.quotas().usage(TENANT, TENANT.projectId()).get(VolumeQuotas.VOLUMES).inUse()).isEqualTo(2);

    tasks = new TaskRunner(db, Clock.systemUTC(), IdGenerator.random(), "node-2");
    service = wire(tasks);
    tasks.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> backup(made.id()).status().equals(Backup.Status.AVAILABLE));
    assertThat(service.volumes().visible(TENANT, winner.id()).status()).isEqualTo(Volume.Status.AVAILABLE);
  }

  /** Runs {@code call} from eight threads at once; answers each one's result or service error. */
  private static List<Object> race(Callable<Object> call) throws Exception {
    int racers = 8;
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Object>> outcomes = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(racers)) {
      for (int i = 0; i < racers; i++) {
        outcomes.add(pool.submit(() -> {
          start.await();
          try {
            return call.call();
          } catch (ServiceException e) {
            return e;
          }
        }));
      }
      start.countDown();
      List<Object> results = new ArrayList<>();
      for (Future<Object> f : outcomes) {
        results.add(f.get());
      }
      return results;
    }
  }

  @Test
  void aFailedBackupEndsInErrorAndGivesTheVolumeBack() {
    Volume volume = availableVolume(Map.of(SimulatedVolumeBackend.FAIL_KEY, "backup"));
    Backup made = service.backups().backups().create(TENANT, full(volume.id()));
    await().atMost(Duration.ofSeconds(10)).until(() -> backup(made.id()).status().equals(Backup.Status.ERROR));
    assertThat(backup(made.id()).failReason()).contains("simulated backup failure");
    assertThat(service.volumes().visible(TENANT, volume.id()).status()).isEqualTo(Volume.Status.AVAILABLE);
    service.backups().backups().delete(TENANT, made.id(), false);
    await().atMost(Duration.ofSeconds(10)).until(() -> service.backups().backups().list(TENANT, false).isEmpty());
    assertThat(service.quotas().usage(TENANT, TENANT.projectId()).get(VolumeQuotas.BACKUP_GIGABYTES).inUse()).isZero();
  }

  @Test
  void aFailedRestoreLeavesTheVolumeErrorRestoringAndTheBackupAvailable() {
    Volume source = availableVolume(Map.of(SimulatedVolumeBackend.FAIL_KEY, "restore"));
    Backup made = service.backups().backups().create(TENANT, full(source.id()));
    await().atMost(Duration.ofSeconds(10)).until(() -> backup(made.id()).status().equals(Backup.Status.AVAILABLE));
    Volume target = availableVolume(Map.of());
    service.backups().restores().restore(TENANT, made.id(), target.id(), null);
    await().atMost(Duration.ofSeconds(10)).until(() ->
        service.volumes().visible(TENANT, target.id()).status().equals(Backup.VolumeStatus.ERROR_RESTORING));
    assertThat(backup(made.id()).status()).isEqualTo(Backup.Status.AVAILABLE);
    assertThat(backup(made.id()).restoreVolumeId()).isNull();
  }
}
