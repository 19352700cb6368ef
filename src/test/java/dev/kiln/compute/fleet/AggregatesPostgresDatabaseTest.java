package dev.kiln.compute.fleet;

import dev.kiln.store.Database;
import dev.kiln.store.TestPostgres;

class AggregatesPostgresDatabaseTest extends AggregatesDatabaseTest {
  @Override
  protected Database openNewDatabase() {
    return TestPostgres.newDatabase();
  }
}
