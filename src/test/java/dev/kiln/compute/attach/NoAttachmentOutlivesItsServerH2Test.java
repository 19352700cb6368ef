package dev.kiln.compute.attach;

import dev.kiln.store.Database;
import java.util.UUID;

class NoAttachmentOutlivesItsServerH2Test extends NoAttachmentOutlivesItsServerTest {
  @Override
  protected Database openNewDatabase() {
    return Database.inMemory("no-orphans-" + UUID.randomUUID());
  }
}
