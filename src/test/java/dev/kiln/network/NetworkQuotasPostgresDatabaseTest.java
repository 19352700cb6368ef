package dev.kiln.network;

import dev.kiln.store.Database;
import dev.kiln.store.TestPostgres;

class NetworkQuotasPostgresDatabaseTest extends NetworkQuotasDatabaseTest {
  @Override
  protected Database openNewDatabase() {
    return TestPostgres.newDatabase();
  }
}
