package dev.kiln.image;

import dev.kiln.store.Database;
import java.util.UUID;

class ImagesH2DatabaseTest extends ImagesDatabaseTest {
  @Override
  protected Database openNewDatabase() {
    return Database.inMemory("images-" + UUID.randomUUID());
  }
}
