package dev.kiln.network;

import dev.kiln.store.Database;
import java.util.UUID;

class NetworkQuotasH2DatabaseTest extends NetworkQuotasDatabaseTest {
  @Override
  protected Database openNewDatabase() {
    return Database.inMemory("network-quotas-" + UUID.randomUUID());
  }
}
