package dev.kiln.volume;

import dev.kiln.store.Database;
import dev.kiln.store.TestPostgres;

class VolumeQuotasPostgresDatabaseTest extends VolumeQuotasDatabaseTest {
  @Override
  protected Database openNewDatabase() {
    return TestPostgres.newDatabase();
  }
}
