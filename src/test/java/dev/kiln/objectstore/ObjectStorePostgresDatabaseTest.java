package dev.kiln.objectstore;

import dev.kiln.store.Database;
import dev.kiln.store.TestPostgres;

class ObjectStorePostgresDatabaseTest extends ObjectStoreDatabaseTest {
  @Override
  protected Database openNewDatabase() {
    return TestPostgres.newDatabase();
  }
}
