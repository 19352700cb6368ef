package dev.kiln.compute.attach;

import dev.kiln.store.Database;
import dev.kiln.store.TestPostgres;

class InterfacesKilledAtAnyCommitPostgresTest extends InterfacesKilledAtAnyCommitTest {
  @Override
  protected Database openNewDatabase() {
    return TestPostgres.newDatabase();
  }
}
