package dev.kiln.objectstore;

import dev.kiln.store.Database;

class ObjectStoreH2DatabaseTest extends ObjectStoreDatabaseTest {
  @Override
  protected Database openNewDatabase() {
    return Database.inMemory("objectstore-" + java.util.UUID.randomUUID());
  }
}
