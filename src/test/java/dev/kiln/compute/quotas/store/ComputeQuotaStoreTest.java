package dev.kiln.compute.quotas.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.store.Database;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ComputeQuotaStoreTest {
  /**
   * Each boot reads its project's usage under the quota lock: summed from the servers, even from
   * an index, it grew with the project.
   */
  @Test
  void aProjectsUsageIsReadFromItsUsageRowsNotFromItsServers() {
    Database db = Database.inMemory("compute-quota-store-" + UUID.randomUUID());
    try {
      String plan = db.sql().query("EXPLAIN " + ComputeQuotaStore.USAGE, row -> row.getString("PLAN"), "p1", "p1").getFirst();
      assertThat(plan).containsIgnoringCase("compute_usage").doesNotContainIgnoringCase("compute_server ");
    } finally {
      db.close();
    }
  }
}
