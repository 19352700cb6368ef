package dev.kiln.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaTemplateTest {
  @TempDir Path tmp;

  @Test
  void aNewDataDirectoryStartsFromACopyOfTheTemplateWithTheWholeSchema() throws Exception {
    Path template = tmp.resolve("template.mv.db");
    SchemaTemplate.write(template);
    Path migratedHere = dir("migrated");
    Path copied = dir("copied");

    List<String> migratedHistory;
    try (Database db = Database.embedded(migratedHere, null)) {
      migratedHistory = history(db);
    }
    try (Database db = Database.embedded(copied, template)) {
      assertThat(history(db)).isEqualTo(migratedHistory);
      // The history's times are the template's: the copy ran no migration of its own.
      assertThat(installedOn(db)).isEqualTo(installedOnIn(template));
    }
    try (var left = Files.list(copied)) {
      assertThat(left.map(p -> p.getFileName().toString())).noneMatch(name -> name.endsWith(".from-template"));
    }
  }

  @Test
  void anExistingDataDirectoryIsNeverReplacedByTheTemplate() {
    Path template = tmp.resolve("template.mv.db");
    SchemaTemplate.write(template);
    Path dir = dir("existing");
    try (Database db = Database.embedded(dir, null)) {
      db.sql().update("UPDATE identity_revision SET revision = 41 WHERE id = 1");
    }

    try (Database db = Database.embedded(dir, template)) {
      assertThat(db.sql().count("SELECT revision FROM identity_revision WHERE id = 1")).isEqualTo(41);
    }
  }

  @Test
  void aDatabaseFileThatAppearsMeanwhileIsNeverReplaced() throws Exception {
    Path template = tmp.resolve("template.mv.db");
    SchemaTemplate.write(template);
    Path dir = dir("raced");
    Path file = dir.resolve("kiln.mv.db");
    Files.writeString(file, "another start's database");

    assertThat(SchemaTemplate.copyIfNew(template, file)).isFalse();
    assertThat(Files.readString(file)).isEqualTo("another start's database");
  }

  @Test
  void aTemplateH2CannotOpenIsDroppedAndTheDirectoryMigratedFromScratch() throws Exception {
    Path template = tmp.resolve("damaged.mv.db");
    Files.write(template, new byte[] {'n', 'o', 't', ' ', 'H', '2'});

    try (Database db = Database.embedded(dir("dir"), template)) {
      assertThat(history(db)).isNotEmpty().doesNotContain("false");
    }
  }

  @Test
  void writingATemplateReplacesTheOldOneAndLeavesNoScratchBehind() throws Exception {
    Path template = tmp.resolve("template.mv.db");
    Files.writeString(template, "an older template");

    SchemaTemplate.write(template);

    assertThat(Files.size(template)).isGreaterThan(100_000);
    try (var left = Files.list(tmp)) {
      assertThat(left).containsExactly(template);
    }
  }

  private Path dir(String name) {
    try {
      return Files.createDirectories(tmp.resolve(name));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static List<String> history(Database db) {
    return db.sql()
        .query(
            "SELECT version, description, checksum, success FROM flyway_schema_history ORDER BY installed_rank",
            row -> row.getString("version") + " " + row.getString("description") + " "
                + row.getNullableInt("checksum") + " " + row.getBoolean("success"));
  }

  private static List<String> installedOn(Database db) {
    return db.sql()
        .query("SELECT installed_on FROM flyway_schema_history ORDER BY installed_rank", row -> row.getString("installed_on"));
  }

  private List<String> installedOnIn(Path template) {
    Path dir = dir("peek");
    try {
      Files.copy(template, dir.resolve("kiln.mv.db"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    try (Database db = Database.embedded(dir, null)) {
      return installedOn(db);
    }
  }
}
