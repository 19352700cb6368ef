package dev.kiln.compute.moves;

import dev.kiln.store.Database;
import java.util.UUID;

class ServerMovesTaskH2Test extends ServerMovesTaskTest {
  @Override
  protected Database openNewDatabase() {
    return Database.inMemory("moves-" + UUID.randomUUID());
  }
}
