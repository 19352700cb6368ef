package dev.kiln.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedded database that ran every migration and holds nothing else, kept as a file so that a
 * new data directory starts from a copy of it instead of running the migrations again.
 *
 * <p>Why: on a new data directory, H2 parsing and running the schema's ~700 statements (and Flyway
 * around them) was more than half of {@code kiln serve}'s start (about 0.85 s of 1.34 s on the
 * 2-core machine Kiln is built on), where copying a file of half a megabyte takes a millisecond.
 * The copy then opens as an existing directory does: the schema check finds every shipped script
 * recorded with its checksum, so a template left over from another build is migrated on by Flyway
 * like any older database, never trusted blindly.
 *
 * <p>The launcher makes the template once per build (next to the jar, as it does the class cache)
 * and names it in the {@value #PROPERTY} system property; without it, or when the file is missing,
 * a new directory is migrated from scratch as before.
 */
public final class SchemaTemplate {
  /** The system property naming the template file. */
  public static final String PROPERTY = "kiln.schema-template";

  private static final Logger LOG = LoggerFactory.getLogger(SchemaTemplate.class);

  private SchemaTemplate() {}

  /** The template this process was given, if its file exists. */
  static Path configured() {
    String set = System.getProperty(PROPERTY);
    if (set == null || set.isBlank()) {
      return null;
    }
    Path template = Path.of(set.strip());
    return Files.isRegularFile(template) ? template : null;
  }

  /**
   * Copies {@code template} to {@code databaseFile} when that file does not exist yet; answers
   * whether it did. The copy is written beside its target and then linked into place, which fails
   * rather than replaces when the file appeared meanwhile (another start on the same directory got
   * there first, and H2's lock then refuses this one as before), and never leaves half a database
   * where the next start would open it.
   */
  static boolean copyIfNew(Path template, Path databaseFile) {
    if (template == null || Files.exists(databaseFile)) {
      return false;
    }
    Path partial = null;
    try {
      partial = Files.createTempFile(databaseFile.getParent(), databaseFile.getFileName() + ".", ".from-template");
      Files.copy(template, partial, StandardCopyOption.REPLACE_EXISTING);
      Files.createLink(databaseFile, partial);
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (IOException | UnsupportedOperationException e) {
      LOG.warn("Could not start {} from the schema template {}; migrating it from scratch", databaseFile, template, e);
      return false;
    } finally {
      if (partial != null) {
        try {
          Files.deleteIfExists(partial);
        } catch (IOException ignored) {
          // A stray copy beside the database is never opened.
        }
      }
    }
  }

  /**
   * Writes a template to {@code target}: migrates a new embedded database in a scratch directory
   * beside it, closes it cleanly and moves its file into place.
   */
  public static void write(Path target) {
    Path absolute = target.toAbsolutePath();
    try {
      Files.createDirectories(absolute.getParent());
      Path scratch = Files.createTempDirectory(absolute.getParent(), ".kiln-schema-");
      try {
        // No template of its own, whatever this process was started with.
        Database.embedded(scratch, null).close();
        Files.move(scratch.resolve("kiln.mv.db"), absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        try (Stream<Path> files = Files.walk(scratch)) {
          files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the schema template " + absolute, e);
    }
  }
}
