package dev.kiln.volume;

import dev.kiln.store.Database;
import dev.kiln.store.TestPostgres;

class BackupStateMachinePostgresTest extends BackupStateMachineTest {
  @Override
  protected Database openNewDatabase() {
    return TestPostgres.newDatabase();
  }
}
