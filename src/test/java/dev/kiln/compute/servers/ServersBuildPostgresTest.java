package dev.kiln.compute.servers;

import dev.kiln.store.Database;
import dev.kiln.store.TestPostgres;

class ServersBuildPostgresTest extends ServersBuildTest {
  @Override
  protected Database openNewDatabase() {
    return TestPostgres.newDatabase();
  }
}
