package dev.kiln.compute.servers;

import dev.kiln.store.Database;
import java.util.UUID;

class ServerListH2DatabaseTest extends ServerListDatabaseTest {
  @Override
  protected Database openNewDatabase() {
    return Database.inMemory("server-list-" + UUID.randomUUID());
  }
}
