package dev.kiln.volume;

import dev.kiln.store.Database;
import java.util.UUID;

class VolumeQuotasH2DatabaseTest extends VolumeQuotasDatabaseTest {
  @Override
  protected Database openNewDatabase() {
    return Database.inMemory("volume-quotas-" + UUID.randomUUID());
  }
}
