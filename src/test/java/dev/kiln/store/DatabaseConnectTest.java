package dev.kiln.store;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class DatabaseConnectTest {

  @Test
  void aDatabaseThatCannotBeReachedIsReportedAsThatBeforeAnyMigration() throws Exception {
    int closedPort;
    try (ServerSocket free = new ServerSocket(0)) {
      closedPort = free.getLocalPort(); // nothing listens there once it is closed
    }

    assertThatThrownBy(() -> Database.postgres("postgresql://kiln:secret@127.0.0.1:" + closedPort + "/kiln"))
        .isInstanceOf(StoreException.class)
        .hasMessageStartingWith("cannot connect to the database: ")
        .hasMessageContaining("127.0.0.1:" + closedPort)
        .hasMessageNotContaining("Flyway");
  }
}
