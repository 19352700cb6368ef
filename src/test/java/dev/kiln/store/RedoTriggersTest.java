package dev.kiln.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** The primary key a replay finds rows by, as the triggers read it from H2's table. */
class RedoTriggersTest {
  @Test
  void aCompositeKeyIsGivenInTheKeysOrderNotTheColumns() throws SQLException {
    try (Connection connection = DriverManager.getConnection("jdbc:h2:mem:redo-keys-1");
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE pair (note VARCHAR, b INT, a INT, PRIMARY KEY (a, b))");

      assertThat(RedoTriggers.primaryKey(connection, "PAIR")).containsExactly(2, 1);
    }
  }

  @Test
  void aTableWithoutAPrimaryKeyIsRefusedByName() throws SQLException {
    try (Connection connection = DriverManager.getConnection("jdbc:h2:mem:redo-keys-2");
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE loose (note VARCHAR)");

      assertThatThrownBy(() -> RedoTriggers.primaryKey(connection, "LOOSE"))
          .hasMessageContaining("LOOSE has no primary key");
    }
  }
}
