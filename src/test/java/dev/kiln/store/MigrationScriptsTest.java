package dev.kiln.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The schema check's checksum works without splitting a script into lines, and still gives what
 * Flyway's line-by-line CRC gives (SchemaMigrationTest checks it against what Flyway recorded); the
 * build's index of the scripts lists the same scripts with the same checksums.
 */
class MigrationScriptsTest {

  @Test
  void checksumWithoutLinesEqualsTheLineByLineOneForEveryShippedScript() throws IOException {
    List<MigrationScripts.Script> shipped =
        MigrationScripts.onClasspath(getClass().getClassLoader(), Database.MIGRATIONS).orElseThrow();
    assertThat(shipped).extracting(MigrationScripts.Script::fileName).contains("B83__baseline.sql");
    for (MigrationScripts.Script script : shipped) {
      byte[] content;
      try (InputStream in =
          getClass().getClassLoader().getResourceAsStream(Database.MIGRATIONS + "/" + script.fileName())) {
        content = in.readAllBytes();
      }
      assertThat(script.checksum())
          .as(script.fileName())
          .isEqualTo(MigrationScripts.checksumByLines(new ByteArrayInputStream(content)));
    }
  }

  @Test
  void theBuildsIndexListsEveryScriptWithTheChecksumItsContentHas() {
    ClassLoader loader = getClass().getClassLoader();
    List<MigrationScripts.Script> indexed = MigrationIndex.read(loader, Database.MIGRATIONS).orElseThrow();
    List<MigrationScripts.Script> listed = MigrationScripts.listed(loader, Database.MIGRATIONS).orElseThrow();
    assertThat(indexed)
        .extracting(MigrationScripts.Script::fileName, MigrationScripts.Script::kind, MigrationScripts.Script::version,
            MigrationScripts.Script::checksum)
        .containsExactlyInAnyOrderElementsOf(
            listed.stream()
                .map(s -> Tuple.tuple(s.fileName(), s.kind(), s.version(), s.checksum()))
                .toList());
    assertThat(MigrationScripts.onClasspath(loader, Database.MIGRATIONS).orElseThrow())
        .extracting(MigrationScripts.Script::checksum)
        .containsExactlyElementsOf(indexed.stream().map(MigrationScripts.Script::checksum).toList());
  }

  @Test
  void anIndexWithALineItDoesNotUnderstandIsNotUsed(@TempDir Path dir) throws IOException {
    Files.createDirectories(dir.resolve("db"));
    Files.writeString(dir.resolve("db/migration.index"), "12\tV1__a.sql\nnot a line\n");
    try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null)) {
      assertThat(MigrationIndex.read(loader, Database.MIGRATIONS)).isEmpty();
      Files.writeString(dir.resolve("db/migration.index"), "12\tV1__a.sql\n");
      assertThat(MigrationIndex.read(loader, Database.MIGRATIONS).orElseThrow())
          .singleElement()
          .satisfies(s -> assertThat(s.version()).isEqualTo("1"))
          .satisfies(s -> assertThat(s.checksum()).isEqualTo(12));
    }
  }

  @Test
  void lineEndsOfEveryKindAndALeadingBomAreLeftOutAsFlywayLeavesThemOut() throws IOException {
    for (String text :
        List.of(
            "\uFEFFCREATE TABLE a (id INT);\r\n-- caf\u00e9 \u2026\rSELECT 1;\n\n",
            "no line end at all",
            "",
            "\n\r\n\r",
            "a \uFEFF inside stays\r\n")) {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      assertThat(MigrationScripts.checksum(bytes))
          .as(text)
          .isEqualTo(MigrationScripts.checksumByLines(new ByteArrayInputStream(bytes)));
    }
  }

  @Test
  void malformedUtf8IsCheckedLineByLineAsFlywayReadsIt() throws IOException {
    byte[] bytes = {'a', (byte) 0xC3, '\n', 'b', (byte) 0xFF, '\r', '\n'};
    assertThat(MigrationScripts.checksum(bytes))
        .isEqualTo(MigrationScripts.checksumByLines(new ByteArrayInputStream(bytes)));
  }

  @Test
  void aScriptThatCannotBeReadHasNoChecksum() {
    MigrationScripts.Script script = MigrationScripts.parse("V7__gone.sql", () -> null).orElseThrow();
    assertThat(script.version()).isEqualTo("7");
    assertThat(script.checksum()).isNull();
  }
}
