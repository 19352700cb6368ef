package dev.kiln.compute.servers;

import dev.kiln.store.Database;
import dev.kiln.store.TestPostgres;

class ServerListPostgresDatabaseTest extends ServerListDatabaseTest {
  @Override
  protected Database openNewDatabase() {
    return TestPostgres.newDatabase();
  }
}
