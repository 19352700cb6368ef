package dev.kiln.compute.moves;

import dev.kiln.store.Database;
import dev.kiln.store.TestPostgres;

class MovesKilledAtAnyCommitPostgresTest extends MovesKilledAtAnyCommitTest {
  @Override
  protected Database openNewDatabase() {
    return TestPostgres.newDatabase();
  }
}
