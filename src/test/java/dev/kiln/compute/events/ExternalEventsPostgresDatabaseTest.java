package dev.kiln.compute.events;

import dev.kiln.store.Database;
import dev.kiln.store.TestPostgres;

class ExternalEventsPostgresDatabaseTest extends ExternalEventsDatabaseTest {
  @Override
  protected Database openNewDatabase() {
    return TestPostgres.newDatabase();
  }
}
