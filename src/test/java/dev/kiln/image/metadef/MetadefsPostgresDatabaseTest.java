package dev.kiln.image.metadef;

import dev.kiln.store.Database;
import dev.kiln.store.TestPostgres;

class MetadefsPostgresDatabaseTest extends MetadefsDatabaseTest {
  @Override
  protected Database openNewDatabase() {
    return TestPostgres.newDatabase();
  }
}
