package dev.kiln.image;

import dev.kiln.store.Database;
import dev.kiln.store.TestPostgres;

class ImagesPostgresDatabaseTest extends ImagesDatabaseTest {
  @Override
  protected Database openNewDatabase() {
    return TestPostgres.newDatabase();
  }
}
