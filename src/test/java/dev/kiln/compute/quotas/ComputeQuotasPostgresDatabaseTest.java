package dev.kiln.compute.quotas;

import dev.kiln.store.Database;
import dev.kiln.store.TestPostgres;

class ComputeQuotasPostgresDatabaseTest extends ComputeQuotasDatabaseTest {
  @Override
  protected Database openNewDatabase() {
    return TestPostgres.newDatabase();
  }
}
