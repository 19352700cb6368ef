package dev.kiln.compute.fleet;

import dev.kiln.store.Database;
import dev.kiln.store.TestPostgres;

class ComputePostgresDatabaseTest extends ComputeDatabaseTest {
  @Override
  protected Database openNewDatabase() {
    return TestPostgres.newDatabase();
  }
}
