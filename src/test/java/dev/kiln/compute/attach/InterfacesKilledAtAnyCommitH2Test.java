package dev.kiln.compute.attach;

import dev.kiln.store.Database;
import java.util.UUID;

class InterfacesKilledAtAnyCommitH2Test extends InterfacesKilledAtAnyCommitTest {
  @Override
  protected Database openNewDatabase() {
    return Database.inMemory("interfaces-killed-" + UUID.randomUUID());
  }
}
