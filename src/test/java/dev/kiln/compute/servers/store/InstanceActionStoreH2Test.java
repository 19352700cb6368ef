package dev.kiln.compute.servers.store;

import dev.kiln.store.Database;
import java.util.UUID;

class InstanceActionStoreH2Test extends InstanceActionStoreTest {
  @Override
  protected Database openNewDatabase() {
    return Database.inMemory("actions-" + UUID.randomUUID());
  }
}
