package dev.kiln.compute.moves;

import dev.kiln.store.Database;
import dev.kiln.store.TestPostgres;

class ServerMovesTaskPostgresTest extends ServerMovesTaskTest {
  @Override
  protected Database openNewDatabase() {
    return TestPostgres.newDatabase();
  }
}
