package dev.kiln.compute.quotas.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.store.Database;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ComputeQuotaStoreTest {
  /**
   * Each boot sums its project's servers under the quota lock: from the servers' rows, that was
   * more than half of a boot's request time in a project of 1,000 servers.
   */
  @Test
  void aProjectsUsageIsSummedFromItsIndexAlone() {
    Database db = Database.inMemory("compute-quota-store-" + UUID.randomUUID());
    try {
      String plan = db.sql().query("EXPLAIN " + ComputeQuotaStore.USAGE, row -> row.getString("PLAN"), "p1", "p1").getFirst();
      assertThat(plan).containsIgnoringCase("compute_server_project_usage");
    } finally {
      db.close();
    }
  }
}
