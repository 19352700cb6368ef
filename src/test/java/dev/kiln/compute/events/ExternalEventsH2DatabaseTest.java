package dev.kiln.compute.events;

import dev.kiln.store.Database;
import java.util.UUID;

class ExternalEventsH2DatabaseTest extends ExternalEventsDatabaseTest {
  @Override
  protected Database openNewDatabase() {
    return Database.inMemory("events-" + UUID.randomUUID());
  }
}
