package dev.kiln.tasks;

import dev.kiln.store.Database;
import dev.kiln.store.TestPostgres;

class PostgresTaskRunnerTest extends TaskRunnerTest {
  @Override
  protected String newDatabase() {
    return TestPostgres.newDatabaseUrl();
  }

  @Override
  protected Database open(String url) {
    return Database.postgres(url);
  }
}
