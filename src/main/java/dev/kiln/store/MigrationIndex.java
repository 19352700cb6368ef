package dev.kiln.store;

import dev.kiln.store.MigrationScripts.Script;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The migration scripts of a build, listed once when it is built: each script's checksum and file
 * name, in {@code db/migration.index} beside the scripts' folder. Reading it is what a start on an
 * existing data directory does instead of walking the jar's 10,000 entries for the folder's names
 * and reading the newest baseline to sum it (~16 ms of CPU on the database's opening thread, the
 * start's slowest path). Without the file (a class path the build did not index) the scripts are
 * listed as before; with a stale one the schema check only answers "not current" and Flyway decides.
 */
public final class MigrationIndex {
  private MigrationIndex() {}

  /** Where the index of scripts in {@code location} lives on the class path. */
  static String resourceOf(String location) {
    return location + ".index";
  }

  /**
   * The scripts the index of {@code location} lists, or empty when there is no index or a line of
   * it is not understood (then the scripts themselves are listed).
   */
  static Optional<List<Script>> read(ClassLoader loader, String location) {
    try (InputStream in = loader.getResourceAsStream(resourceOf(location))) {
      if (in == null) {
        return Optional.empty();
      }
      List<Script> scripts = new ArrayList<>();
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (line.isBlank()) {
          continue;
        }
        int tab = line.indexOf('\t');
        if (tab < 0) {
          return Optional.empty();
        }
        int checksum = Integer.parseInt(line.substring(0, tab));
        Optional<Script> script = MigrationScripts.parse(line.substring(tab + 1), () -> null);
        if (script.isEmpty()) {
          return Optional.empty();
        }
        scripts.add(script.get().withChecksum(checksum));
      }
      return scripts.isEmpty() ? Optional.empty() : Optional.of(List.copyOf(scripts));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The index's text for {@code scripts}: a line per script, its checksum, a tab, its file name. */
  static String text(List<Script> scripts) {
    StringBuilder text = new StringBuilder();
    scripts.stream()
        .sorted(Comparator.comparing(Script::fileName))
        .forEach(s -> text.append(s.checksum()).append('\t').append(s.fileName()).append('\n'));
    return text.toString();
  }

  /**
   * Run by the build after the resources are copied: {@code args[0]} is the classes folder, whose
   * {@code db/migration} scripts it indexes into {@code db/migration.index}.
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: MigrationIndex CLASSES_DIR");
    }
    Path classes = Path.of(args[0]);
    Path index = classes.resolve(resourceOf(Database.MIGRATIONS));
    Files.deleteIfExists(index); // listed from the scripts themselves, not from an older index
    try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, null)) {
      List<Script> scripts =
          MigrationScripts.listed(loader, Database.MIGRATIONS)
              .orElseThrow(() -> new IllegalStateException("no migration scripts Kiln understands under " + classes));
      for (Script s : scripts) {
        if (s.checksum() == null) {
          throw new IllegalStateException("cannot read " + s.fileName());
        }
      }
      Files.writeString(index, text(scripts), StandardCharsets.UTF_8);
    }
  }
}
