package dev.kiln.compute.moves;

import dev.kiln.store.Database;
import dev.kiln.store.TestPostgres;

class ServerTasksKilledAtAnyCommitPostgresTest extends ServerTasksKilledAtAnyCommitTest {
  @Override
  protected Database openNewDatabase() {
    return TestPostgres.newDatabase();
  }
}
