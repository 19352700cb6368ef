package dev.kiln.compute.servers;

import dev.kiln.store.Database;
import java.util.UUID;

class ServersBuildH2Test extends ServersBuildTest {
  @Override
  protected Database openNewDatabase() {
    return Database.inMemory("servers-" + UUID.randomUUID());
  }
}
