package dev.kiln.compute.fleet;

import dev.kiln.store.Database;
import java.util.UUID;

class AggregatesH2DatabaseTest extends AggregatesDatabaseTest {
  @Override
  protected Database openNewDatabase() {
    return Database.inMemory("aggregates-" + UUID.randomUUID());
  }
}
