package dev.kiln.image.metadef;

import dev.kiln.store.Database;
import java.util.UUID;

class MetadefsH2DatabaseTest extends MetadefsDatabaseTest {
  @Override
  protected Database openNewDatabase() {
    return Database.inMemory("metadefs-" + UUID.randomUUID());
  }
}
