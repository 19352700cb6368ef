package dev.kiln.compute.quotas;

import dev.kiln.store.Database;
import java.util.UUID;

class ComputeQuotasH2DatabaseTest extends ComputeQuotasDatabaseTest {
  @Override
  protected Database openNewDatabase() {
    return Database.inMemory("compute-quotas-" + UUID.randomUUID());
  }
}
