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
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Groups under concurrency, on each database: racing deletes delete a group (and its volumes and
 * their quota) once, and a volume raced into two groups joins one.
 */
abstract class GroupRaceTest {
  private static final Actor ADMIN = new Actor("admin-project", "admin", true);
  private static final Actor TENANT = new Actor("tenant-1", "user-1", false);

  private Database db;
  private TaskRunner tasks;
  private VolumeService service;
  private String volumeType;
  private String groupType;

  protected abstract Database openDatabase();

  @BeforeEach
  void setUp() {
    db = openDatabase();
    tasks = new TaskRunner(db, Clock.systemUTC(), IdGenerator.random(), "test-node");
    service = VolumeService.create(db, Clock.systemUTC(), IdGenerator.random(), new SimulatedVolumeBackend(Duration.ZERO), tasks, ImageCatalog.NONE);
    tasks.start();
    volumeType = service.types().create(ADMIN, new VolumeTypes.Spec("race-vt", null, true, Map.of())).id();
    groupType = service.groupTypes().create(ADMIN, "race-gt", null, true, Map.of()).id();
  }

  @AfterEach
  void tearDown() {
    tasks.close();
    db.close();
  }

  private Group availableGroup(String name) {
    Group group = service.groups().create(TENANT, name, null, groupType, List.of(volumeType), null);
    await().atMost(Duration.ofSeconds(10))
        .until(() -> service.groups().visible(TENANT, group.id()).status().equals(Group.Status.AVAILABLE));
    return group;
  }

  private Volume availableVolume(String groupId) {
    Volume volume = service.volumes().create(
        TENANT, new Volumes.Spec("v", null, 1, volumeType, null, Map.of(), null, null, null, null, groupId));
    await().atMost(Duration.ofSeconds(10))
        .until(() -> service.volumes().visible(TENANT, volume.id()).status().equals(Volume.Status.AVAILABLE));
    return volume;
  }

  private static List<Object> race(int n, IntFunction<Callable<Object>> work) throws Exception {
    List<Object> outcomes = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(n)) {
      List<Future<Object>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        Callable<Object> call = work.apply(i);
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
  void racingDeletesDeleteTheGroupAndItsVolumesOnce() throws Exception {
    Group group = availableGroup("doomed");
    availableVolume(group.id());
    availableVolume(group.id());
    assertThat(service.quotas().usage(TENANT, TENANT.projectId()).get("volumes").inUse()).isEqualTo(2L);

    List<Object> outcomes = race(6, i -> () -> {
      service.groups().delete(TENANT, group.id(), true);
      return "deleted";
    });

    assertThat(outcomes).filteredOn("deleted"::equals).hasSize(1);
    assertThat(outcomes).filteredOn(o -> o instanceof ServiceException)
        .allSatisfy(o -> assertThat(((ServiceException) o).type()).isIn("GroupNotFound", "InvalidGroup"));
    assertThat(service.volumes().list(TENANT, false)).isEmpty();
    assertThat(service.quotas().usage(TENANT, TENANT.projectId()).get("volumes").inUse()).isEqualTo(0L);
  }

  @Test
  void aVolumeRacedIntoTwoGroupsJoinsOne() throws Exception {
    Group first = availableGroup("first");
    Group second = availableGroup("second");
    Volume loose = availableVolume(null);

    List<Object> outcomes = race(2, i -> () -> {
      service.groups().update(TENANT, (i == 0 ? first : second).id(), null, null, List.of(loose.id()), List.of());
      return "joined";
    });

    assertThat(outcomes).filteredOn("joined"::equals).hasSize(1);
    String groupId = service.volumes().visible(TENANT, loose.id()).groupId();
    assertThat(groupId).isIn(first.id(), second.id());
    assertThat(service.groups().volumeIds(TENANT, first.id()).size() + service.groups().volumeIds(TENANT, second.id()).size())
        .isEqualTo(1);
  }

  static class OnH2 extends GroupRaceTest {
    @Override
    protected Database openDatabase() {
      return Database.inMemory("groups-" + System.nanoTime());
    }
  }

  static class OnPostgres extends GroupRaceTest {
    @Override
    protected Database openDatabase() {
      return TestPostgres.newDatabase();
    }
  }
}
