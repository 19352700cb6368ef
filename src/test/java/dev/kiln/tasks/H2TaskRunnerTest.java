package dev.kiln.tasks;

import dev.kiln.store.Database;
import java.util.UUID;

class H2TaskRunnerTest extends TaskRunnerTest {
  @Override
  protected String newDatabase() {
    return "tasks-" + UUID.randomUUID();
  }

  @Override
  protected Database open(String name) {
    return Database.inMemory(name);
  }
}
