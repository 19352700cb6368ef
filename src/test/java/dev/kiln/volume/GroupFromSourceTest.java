package dev.kiln.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.store.Database;
import dev.kiln.tasks.TaskRunner;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A group made from a source group (create-from-src) ends {@code creating} only once its copies
 * have: a backend that takes its time to make each copy shows whether the group waits for them.
 */
class GroupFromSourceTest {
  private static final Actor ADMIN = new Actor("admin-project", "admin", true);
  private static final Actor TENANT = new Actor("tenant-1", "user-1", false);
  private static final Duration BACKEND_LATENCY = Duration.ofMillis(300);

  private Database db;
  private TaskRunner tasks;
  private VolumeService service;
  private String volumeType;
  private String groupType;

  @BeforeEach
  void setUp() {
    db = Database.inMemory("group-from-source-" + System.nanoTime());
    tasks = new TaskRunner(db, Clock.systemUTC(), IdGenerator.random(), "test-node");
    service = VolumeService.create(
        db, Clock.systemUTC(), IdGenerator.random(), new SimulatedVolumeBackend(BACKEND_LATENCY), tasks, ImageCatalog.NONE);
    tasks.start();
    volumeType = service.types().create(ADMIN, new VolumeTypes.Spec("copy-vt", null, true, Map.of())).id();
    groupType = service.groupTypes().create(ADMIN, "copy-gt", null, true, Map.of()).id();
  }

  @AfterEach
  void tearDown() {
    tasks.close();
    db.close();
  }

  @Test
  void aGroupCopiedFromAGroupIsAvailableOnlyOnceEveryCopyIs() {
    Group source = service.groups().create(TENANT, "source", null, groupType, List.of(volumeType), null);
    awaitGroupLeavesCreating(source.id());
    for (int i = 0; i < 2; i++) {
      Volume volume = service.volumes().create(
          TENANT, new Volumes.Spec("v" + i, null, 1, volumeType, null, Map.of(), null, null, null, null, source.id()));
      await().atMost(Duration.ofSeconds(10))
          .until(() -> service.volumes().visible(TENANT, volume.id()).status().equals(Volume.Status.AVAILABLE));
    }

    Group copy = service.groups().createFromSource(TENANT, "copy", null, null, source.id());

    String status = awaitGroupLeavesCreating(copy.id());
    List<String> members = service.groups().volumeIds(TENANT, copy.id());
    assertThat(status).isEqualTo(Group.Status.AVAILABLE);
    assertThat(members).hasSize(2);
    assertThat(members).allSatisfy(id ->
        assertThat(service.volumes().visible(TENANT, id).status()).isEqualTo(Volume.Status.AVAILABLE));
  }

  @Test
  void aGroupCopiedFromAnEmptyGroupIsAvailable() {
    Group source = service.groups().create(TENANT, "empty", null, groupType, List.of(volumeType), null);
    awaitGroupLeavesCreating(source.id());

    Group copy = service.groups().createFromSource(TENANT, "copy", null, null, source.id());

    assertThat(awaitGroupLeavesCreating(copy.id())).isEqualTo(Group.Status.AVAILABLE);
  }

  /** Polls often, so that a group that turns available too early is seen before its copies finish. */
  private String awaitGroupLeavesCreating(String id) {
    String[] seen = {null};
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5)).until(() -> {
      seen[0] = service.groups().visible(TENANT, id).status();
      return !seen[0].equals(Group.Status.CREATING);
    });
    return seen[0];
  }
}
