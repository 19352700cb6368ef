package dev.kiln.volume;

import dev.kiln.store.Database;
import java.util.UUID;

class BackupStateMachineH2Test extends BackupStateMachineTest {
  @Override
  protected Database openNewDatabase() {
    return Database.inMemory("backups-" + UUID.randomUUID());
  }
}
