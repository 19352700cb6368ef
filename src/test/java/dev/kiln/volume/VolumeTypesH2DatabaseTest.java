package dev.kiln.volume;

import dev.kiln.store.Database;
import java.util.UUID;

class VolumeTypesH2DatabaseTest extends VolumeTypesDatabaseTest {
  @Override
  protected Database openNewDatabase() {
    return Database.inMemory("volume-types-" + UUID.randomUUID());
  }
}
