package dev.kiln.network;

import dev.kiln.store.Database;
import java.util.UUID;

class SecurityGroupsH2DatabaseTest extends SecurityGroupsDatabaseTest {
  @Override
  protected Database openNewDatabase() {
    return Database.inMemory("security-groups-" + UUID.randomUUID());
  }
}
