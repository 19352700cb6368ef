package dev.kiln.store;

class PostgresDatabaseTest extends DatabaseTest {
  @Override
  protected Database openNewDatabase() {
    return TestPostgres.newDatabase();
  }
}
