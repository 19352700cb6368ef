package dev.kiln.volume;

import dev.kiln.store.Database;
import dev.kiln.store.TestPostgres;

class VolumeTypesPostgresDatabaseTest extends VolumeTypesDatabaseTest {
  @Override
  protected Database openNewDatabase() {
    return TestPostgres.newDatabase();
  }
}
