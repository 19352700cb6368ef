package dev.kiln.network;

import dev.kiln.store.Database;
import dev.kiln.store.TestPostgres;

class SecurityGroupsPostgresDatabaseTest extends SecurityGroupsDatabaseTest {
  @Override
  protected Database openNewDatabase() {
    return TestPostgres.newDatabase();
  }
}
