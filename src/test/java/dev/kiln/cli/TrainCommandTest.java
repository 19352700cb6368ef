package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TrainCommandTest {
  @TempDir Path tmp;

  @Test
  void writingTheSchemaTemplateOnlyWritesAMigratedDatabaseAndTrainsNothing() throws Exception {
    Path template = tmp.resolve("kiln-schema.mv.db");

    int code = new CommandLine(new TrainCommand()).execute("--write-schema-template", "--schema-template", template.toString());

    assertThat(code).isZero();
    assertThat(template).isRegularFile();
    // Only the template: the scratch database it was migrated in is gone from beside it.
    try (var left = Files.list(tmp)) {
      assertThat(left).containsExactly(template);
    }
    String url = "jdbc:h2:file:" + tmp.resolve("kiln-schema") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE";
    try (Connection c = DriverManager.getConnection(url, "sa", "");
        ResultSet r = c.createStatement().executeQuery("SELECT count(*) FROM flyway_schema_history WHERE success")) {
      r.next();
      assertThat(r.getInt(1)).isPositive();
    }
  }

  @Test
  void writingTheSchemaTemplateWithoutItsFileIsAUsageError() {
    StringWriter err = new StringWriter();
    CommandLine command = new CommandLine(new TrainCommand()).setErr(new PrintWriter(err));

    int code = command.execute("--write-schema-template");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("--write-schema-template needs --schema-template FILE");
  }
}
