package dev.kiln.compute.moves;

import dev.kiln.store.Database;
import java.util.UUID;

class MovesKilledAtAnyCommitH2Test extends MovesKilledAtAnyCommitTest {
  @Override
  protected Database openNewDatabase() {
    return Database.inMemory("moves-killed-" + UUID.randomUUID());
  }
}
