package dev.kiln.store;

import java.util.UUID;

class H2DatabaseTest extends DatabaseTest {
  @Override
  protected Database openNewDatabase() {
    return Database.inMemory("database-test-" + UUID.randomUUID());
  }
}
