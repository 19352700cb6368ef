package dev.kiln.compute.fleet;

import dev.kiln.store.Database;
import java.util.UUID;

class ComputeH2DatabaseTest extends ComputeDatabaseTest {
  @Override
  protected Database openNewDatabase() {
    return Database.inMemory("compute-" + UUID.randomUUID());
  }
}
