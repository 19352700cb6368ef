package dev.kiln.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.common.ServiceException;
import dev.kiln.network.store.NetworkQuotaStore;
import dev.kiln.store.Database;
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

/** Neutron quotas on each database Kiln runs on: racing creates take exactly the quota's places. */
abstract class NetworkQuotasDatabaseTest {
  private static final Actor ADMIN = new Actor("admin-project", "admin", true);
  private static final Actor TENANT = new Actor("p1", "u1", false);
  private static final int RACERS = 12;

  private Database db;
  private NetworkService network;

  protected abstract Database openNewDatabase();

  @BeforeEach
  void setUp() {
    db = openNewDatabase();
    network = NetworkService.create(db, Clock.systemUTC(), IdGenerator.random(), new SecureRandom(), host -> true);
  }

  @AfterEach
  void tearDown() {
    db.close();
  }

  @Test
  void racingNetworkCreatesTakeExactlyTheQuotasPlaces() throws Exception {
    network.quotas().update(ADMIN, TENANT.projectId(), Map.of("network", 4L), false);
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
                    network.networks().create(TENANT, new Networks.Spec(null, name, null, null, null, null, null, null));
                    return true;
                  } catch (ServiceException e) {
                    assertThat(e.type()).isEqualTo("OverQuota");
                    return false;
                  }
                }));
      }
      int accepted = 0;
      for (Future<Boolean> result : results) {
        accepted += result.get() ? 1 : 0;
      }
      assertThat(accepted).isEqualTo(4);
      assertThat(network.quotas().details(ADMIN, TENANT.projectId()).get("network").used()).isEqualTo(4);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void quotaCheckCountsOnlyAsFarAsTheLimitAndOnlyTheProjectsOwnRows() {
    for (int i = 0; i < 3; i++) {
      network.networks().create(TENANT, new Networks.Spec(null, "mine-" + i, null, null, null, null, null, null));
      network.networks().create(ADMIN, new Networks.Spec(null, "theirs-" + i, null, null, null, null, null, null));
    }
    db.inTransaction(
        sql -> {
          NetworkQuotaStore store = new NetworkQuotaStore(sql);
          assertThat(store.countUpTo(TENANT.projectId(), "network", 100)).isEqualTo(3);
          assertThat(store.countUpTo(TENANT.projectId(), "network", 2)).isEqualTo(2);
          return null;
        });
    network.quotas().update(ADMIN, TENANT.projectId(), Map.of("network", 3L), false);
    assertThatThrownBy(
            () -> network.networks().create(TENANT, new Networks.Spec(null, "one-too-many", null, null, null, null, null, null)))
        .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.type()).isEqualTo("OverQuota"));
    network.quotas().update(ADMIN, TENANT.projectId(), Map.of("network", -1L), false);
    network.networks().create(TENANT, new Networks.Spec(null, "unlimited", null, null, null, null, null, null));
    assertThat(network.quotas().details(ADMIN, TENANT.projectId()).get("network").used()).isEqualTo(4);
  }
}
