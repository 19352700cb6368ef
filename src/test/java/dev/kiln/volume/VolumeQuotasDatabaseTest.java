package dev.kiln.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.common.ServiceException;
import dev.kiln.store.Database;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Volume quotas on each database Kiln runs on (one subclass each): reservations inside the
 * caller's transaction, the races they settle, and the rules for changing limits.
 */
abstract class VolumeQuotasDatabaseTest {
  private static final Actor ADMIN = new Actor("admin-project", "admin", true);
  private static final Actor ALICE = new Actor("project-a", "alice", false);

  private Database db;
  private VolumeQuotas quotas;

  protected abstract Database openNewDatabase();

  @BeforeEach
  void setUp() {
    db = openNewDatabase();
    quotas = new VolumeQuotas(db);
  }

  @AfterEach
  void tearDown() {
    db.close();
  }

  private void reserve(String project, int volumes, long gigabytes, int snapshots) {
    db.inTransaction(
        tx -> {
          quotas.reserve(tx, project, volumes, gigabytes, snapshots);
          return null;
        });
  }

  private void release(String project, int volumes, long gigabytes, int snapshots) {
    db.inTransaction(
        tx -> {
          quotas.release(tx, project, volumes, gigabytes, snapshots);
          return null;
        });
  }

  private VolumeQuotas.Quota used(String project, String resource) {
    return quotas.usage(ADMIN, project).get(resource);
  }

  @Test
  void twentyConcurrentReservationsAgainstTenVolumesLetExactlyTenThrough() throws Exception {
    int threads = 20;
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Object>> outcomes = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      for (int i = 0; i < threads; i++) {
        outcomes.add(
            pool.submit(
                () -> {
                  start.await();
                  try {
                    reserve("project-race", 1, 1, 0);
                    return "reserved";
                  } catch (ServiceException e) {
                    return e;
                  }
                }));
      }
      start.countDown();
      int reserved = 0;
      for (Future<Object> outcome : outcomes) {
        Object result = outcome.get();
        if ("reserved".equals(result)) {
          reserved++;
        } else {
          ServiceException refused = (ServiceException) result;
          assertThat(refused.kind()).isEqualTo(ServiceException.Kind.OVER_LIMIT);
          assertThat(refused.type()).isEqualTo("OverQuota");
          assertThat(refused.getMessage())
              .isEqualTo("VolumeLimitExceeded: Maximum number of volumes allowed (10) exceeded for quota 'volumes'.");
        }
      }
      assertThat(reserved).isEqualTo(10);
    }
    assertThat(used("project-race", "volumes").inUse()).isEqualTo(10);
    assertThat(used("project-race", "gigabytes").inUse()).isEqualTo(10);
  }

  @Test
  void gigabytesAndSnapshotsAreRefusedWithCindersMessages() {
    quotas.update(ADMIN, "project-gb", Map.of("gigabytes", 10L, "snapshots", 1L));
    reserve("project-gb", 1, 8, 0);
    assertThatThrownBy(() -> reserve("project-gb", 1, 5, 0))
        .isInstanceOf(ServiceException.class)
        .hasFieldOrPropertyWithValue("kind", ServiceException.Kind.OVER_LIMIT)
        .hasMessage(
            "VolumeSizeExceedsAvailableQuota: Requested volume or snapshot exceeds allowed gigabytes quota."
                + " Requested 5G, quota is 10G and 8G has been consumed.");
    reserve("project-gb", 0, 2, 1);
    assertThatThrownBy(() -> reserve("project-gb", 0, 0, 1))
        .hasMessage("SnapshotLimitExceeded: Maximum number of snapshots allowed (1) exceeded");
    // A refused reservation counts nothing.
    assertThat(used("project-gb", "volumes").inUse()).isEqualTo(1);
    assertThat(used("project-gb", "gigabytes").inUse()).isEqualTo(10);
    assertThat(used("project-gb", "snapshots").inUse()).isEqualTo(1);
  }

  @Test
  void reservationRollsBackWithTheCallersTransaction() {
    assertThatThrownBy(
            () ->
                db.inTransaction(
                    tx -> {
                      quotas.reserve(tx, "project-rb", 1, 5, 0);
                      throw new IllegalStateException("the volume insert failed");
                    }))
        .isInstanceOf(IllegalStateException.class);
    assertThat(used("project-rb", "volumes").inUse()).isZero();
    assertThat(used("project-rb", "gigabytes").inUse()).isZero();
  }

  @Test
  void releaseNeverGoesBelowZeroAndUnlimitedMeansUnlimited() {
    release("project-rel", 1, 1, 1); // nothing reserved yet: no row, no error
    reserve("project-rel", 2, 3, 0);
    release("project-rel", 5, 10, 1);
    assertThat(used("project-rel", "volumes").inUse()).isZero();
    assertThat(used("project-rel", "gigabytes").inUse()).isZero();

    quotas.update(ADMIN, "project-rel", Map.of("volumes", -1L, "gigabytes", -1L));
    reserve("project-rel", 50, 100_000, 0);
    assertThat(used("project-rel", "volumes")).isEqualTo(new VolumeQuotas.Quota(-1, 50, 0));
  }

  @Test
  void limitsCannotFallBelowWhatIsUsed() {
    reserve("project-low", 3, 30, 0);
    assertThatThrownBy(() -> quotas.update(ADMIN, "project-low", Map.of("volumes", 2L)))
        .isInstanceOf(ServiceException.class)
        .hasFieldOrPropertyWithValue("kind", ServiceException.Kind.INVALID)
        .hasMessage(
            "Quota volumes limit must be equal or greater than existing resources. Current usage is 3 and the"
                + " requested limit is 2.");
    assertThat(quotas.limits(ADMIN, "project-low").get("volumes")).isEqualTo(10);
    assertThat(quotas.update(ADMIN, "project-low", Map.of("volumes", 3L)).get("volumes")).isEqualTo(3);
    assertThatThrownBy(() -> reserve("project-low", 1, 1, 0)).hasMessageContaining("allowed (3)");
    // per_volume_gigabytes is not a total, and -1 is no limit: both may be set regardless.
    quotas.update(ADMIN, "project-low", Map.of("per_volume_gigabytes", 1L, "gigabytes", -1L));
    assertThatThrownBy(() -> quotas.checkVolumeSize("project-low", 2))
        .hasFieldOrPropertyWithValue("kind", ServiceException.Kind.OVER_LIMIT)
        .hasMessage("VolumeSizeExceedsLimit: Requested volume size 2G is larger than maximum allowed limit 1G.");
    quotas.checkVolumeSize("project-low", 1);
  }

  @Test
  void policyAndKeys() {
    assertThat(quotas.limits(ALICE, "project-a").get("volumes")).isEqualTo(10);
    assertThatThrownBy(() -> quotas.limits(ALICE, "project-b"))
        .hasFieldOrPropertyWithValue("kind", ServiceException.Kind.FORBIDDEN);
    assertThatThrownBy(() -> quotas.update(ALICE, "project-a", Map.of("volumes", 1L)))
        .hasFieldOrPropertyWithValue("kind", ServiceException.Kind.FORBIDDEN);
    assertThatThrownBy(() -> quotas.update(ADMIN, "project-a", Map.of("volumes_gold", 1L)))
        .hasMessage("Invalid input received: Bad key(s) in quota set: volumes_gold");

    // Per-type quotas exist for each type and follow its renames.
    VolumeTypes types = new VolumeTypes(db, Clock.systemUTC(), IdGenerator.random());
    VolumeType gold = types.create(ADMIN, new VolumeTypes.Spec("gold", null, true, Map.of()));
    assertThat(quotas.update(ADMIN, "project-a", Map.of("volumes_gold", 4L)).get("volumes_gold")).isEqualTo(4);
    assertThat(quotas.limits(ADMIN, "project-a").get("gigabytes_gold")).isEqualTo(-1);
    types.update(ADMIN, gold.id(), new VolumeTypes.Changes("platinum", null, null));
    Map<String, Long> renamed = quotas.limits(ADMIN, "project-a");
    assertThat(renamed).containsEntry("volumes_platinum", 4L).doesNotContainKey("volumes_gold");
    types.delete(ADMIN, gold.id());
    assertThat(quotas.limits(ADMIN, "project-a")).doesNotContainKey("volumes_platinum");

    quotas.reset(ADMIN, "project-a");
    assertThat(quotas.defaults(ALICE, "project-a")).isEqualTo(quotas.limits(ALICE, "project-a"));
  }
}
