package dev.kiln.compute.moves;

import dev.kiln.store.Database;
import java.util.UUID;

class ServerTasksKilledAtAnyCommitH2Test extends ServerTasksKilledAtAnyCommitTest {
  @Override
  protected Database openNewDatabase() {
    return Database.inMemory("moves-killed-" + UUID.randomUUID());
  }
}
