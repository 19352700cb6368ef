package dev.kiln.compute.servers.store;

import dev.kiln.store.Database;
import dev.kiln.store.TestPostgres;

class InstanceActionStorePostgresTest extends InstanceActionStoreTest {
  @Override
  protected Database openNewDatabase() {
    return TestPostgres.newDatabase();
  }
}
