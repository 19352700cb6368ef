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
 * The attachment state machine under concurrency, on each database: no race attaches a
 * non-multiattach volume twice, a multiattach volume takes every instance, and detach storms
 * leave no attachment behind and the volume available.
 */
abstract class AttachmentRaceTest {
  private static final Actor TENANT = new Actor("tenant-1", "user-1", false);
  private static final Attachments.Connector CONNECTOR =
      new Attachments.Connector("{\"initiator\": \"iqn.1993-08.org.debian:01:abc\", \"ip\": \"127.0.0.1\", \"host\": \"kiln-compute-1\"}", "kiln-compute-1", "/dev/vdb");

  private Database db;
  private TaskRunner tasks;
  private VolumeService service;

  protected abstract Database openDatabase();

  @BeforeEach
  void setUp() {
    db = openDatabase();
    tasks = new TaskRunner(db, Clock.systemUTC(), IdGenerator.random(), "test-node");
    service = VolumeService.create(db, Clock.systemUTC(), IdGenerator.random(), new SimulatedVolumeBackend(Duration.ZERO), tasks, ImageCatalog.NONE);
    tasks.start();
  }

  @AfterEach
  void tearDown() {
    tasks.close();
    db.close();
  }

  private Volume availableVolume(boolean multiattach) {
    Volume volume = service.volumes().create(
        TENANT, new Volumes.Spec("v", null, 1, null, null, Map.of(), null, null, multiattach ? true : null, null));
    await().atMost(Duration.ofSeconds(10))
        .until(() -> service.volumes().visible(TENANT, volume.id()).status().equals(Volume.Status.AVAILABLE));
    return volume;
  }

  private static <T> List<Object> race(int n, java.util.function.IntFunction<Callable<T>> work) throws Exception {
    List<Object> outcomes = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(Math.min(n, 16))) {
      List<Future<Object>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        Callable<T> call = work.apply(i);
        futures.add(pool.submit(() -> {
          try {
            return call.call();
          } catch (ServiceException e) {
            return e;
          }
        }));
      }
      for (Future<Object> f : futures) {
        outcomes.add(f.get());
      }
    }
    return outcomes;
  }

  @Test
  void fiftyConcurrentAttachmentsToOneVolumeGiveExactlyOne() throws Exception {
    Volume volume = availableVolume(false);
    List<Object> outcomes =
        race(50, i -> () -> service.attachments().create(TENANT, volume.id(), "instance-" + i, null, null));
    long created = outcomes.stream().filter(o -> o instanceof Attachment).count();
    assertThat(created).isEqualTo(1);
    outcomes.stream().filter(o -> o instanceof ServiceException).forEach(o ->
        assertThat(((ServiceException) o).type()).isEqualTo("InvalidVolume"));
    Volume after = service.volumes().visible(TENANT, volume.id());
    assertThat(after.attachments()).hasSize(1);
    assertThat(after.status()).isEqualTo(Volume.Status.RESERVED);
  }

  @Test
  void twentyConcurrentAttachmentsToAMultiattachVolumeAllSucceed() throws Exception {
    Volume volume = availableVolume(true);
    List<Object> outcomes = race(20, i -> () -> {
      Attachment a = service.attachments().create(TENANT, volume.id(), "instance-" + i, CONNECTOR, null);
      return service.attachments().complete(TENANT, a.id());
    });
    assertThat(outcomes).allMatch(o -> o instanceof Attachment);
    Volume after = service.volumes().visible(TENANT, volume.id());
    assertThat(after.attachments()).hasSize(20).allMatch(a -> a.attachStatus().equals(Attachments.ATTACHED));
    assertThat(after.status()).isEqualTo(Volume.Status.IN_USE);
  }

  @Test
  void detachStormLeavesNoAttachmentAndAnAvailableVolume() throws Exception {
    Volume volume = availableVolume(true);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      Attachment a = service.attachments().create(TENANT, volume.id(), "instance-" + i, CONNECTOR, null);
      ids.add(service.attachments().complete(TENANT, a.id()).id());
    }
    // Every attachment deleted twice at once: one delete wins, the other finds nothing.
    List<Object> outcomes = race(20, i -> () -> {
      service.attachments().delete(TENANT, ids.get(i % 10));
      return "deleted";
    });
    assertThat(outcomes.stream().filter("deleted"::equals).count()).isEqualTo(10);
    outcomes.stream().filter(o -> o instanceof ServiceException).forEach(o ->
        assertThat(((ServiceException) o).type()).isEqualTo("VolumeAttachmentNotFound"));
    Volume after = service.volumes().visible(TENANT, volume.id());
    assertThat(after.attachments()).isEmpty();
    assertThat(after.status()).isEqualTo(Volume.Status.AVAILABLE);
    assertThat(after.attachStatus()).isEqualTo(Volume.AttachStatus.DETACHED);
  }

  static class OnH2 extends AttachmentRaceTest {
    @Override
    protected Database openDatabase() {
      return Database.inMemory("attach-" + System.nanoTime());
    }
  }

  static class OnPostgres extends AttachmentRaceTest {
    @Override
    protected Database openDatabase() {
      return TestPostgres.newDatabase();
    }
  }
}
