package dev.kiln.store;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * The SQL migration scripts this build ships under {@code db/migration}, read the way Flyway reads
 * them: name, kind, version, description and checksum. {@link SchemaCheck} compares them with a
 * database's history so that an up-to-date database does not pay for Flyway at every start.
 */
final class MigrationScripts {
  /** Flyway's naming: {@code V<version>__<description>.sql}, B for baselines, R (no version). */
  private static final Pattern NAME =
      Pattern.compile("([VBR])([0-9]+(?:[._][0-9]+)*)?__(.+)\\.sql");

  private MigrationScripts() {}

  /** How Flyway treats a script. */
  enum Kind {
    VERSIONED,
    BASELINE,
    REPEATABLE
  }

  /**
   * One script. {@code version} is Flyway's (dots, no leading V) and null for a repeatable one;
   * {@link #checksum()} is Flyway's: CRC-32 of the lines without their line ends, worked out only
   * when asked (a database made from the newest baseline needs two of them, not one per script).
   */
  record Script(String fileName, Kind kind, String version, String description, Supplier<Integer> checksumSource) {
    Script(String fileName, Kind kind, String version, String description, int checksum) {
      this(fileName, kind, version, description, () -> checksum);
    }

    /** Flyway's checksum of the script, or null when it cannot be read (then Flyway decides). */
    Integer checksum() {
      return checksumSource.get();
    }

    /** This script with a checksum known already (the build's {@link MigrationIndex} lists it). */
    Script withChecksum(int checksum) {
      return new Script(fileName, kind, version, description, checksum);
    }
  }

  /**
   * Every script in {@code location} on the class path, as the build's {@link MigrationIndex} lists
   * them when it is there, or empty when one of them does not follow Flyway's naming in a way this
   * class understands (then Flyway, not this class, must decide).
   */
  static Optional<List<Script>> onClasspath(ClassLoader loader, String location) {
    Optional<List<Script>> indexed = MigrationIndex.read(loader, location);
    return indexed.isPresent() ? indexed : listed(loader, location);
  }

  /** {@link #onClasspath}, from the scripts themselves rather than the build's {@link MigrationIndex}. */
  static Optional<List<Script>> listed(ClassLoader loader, String location) {
    List<Script> scripts = new ArrayList<>();
    try {
      Enumeration<URL> roots = loader.getResources(location);
      boolean any = false;
      while (roots.hasMoreElements()) {
        any = true;
        for (String name : fileNames(roots.nextElement(), location)) {
          if (!name.endsWith(".sql")) {
            continue; // Flyway reads only .sql scripts from here
          }
          Optional<Script> script = parse(name, () -> loader.getResourceAsStream(location + "/" + name));
          if (script.isEmpty()) {
            return Optional.empty();
          }
          scripts.add(script.get());
        }
      }
      return any ? Optional.of(List.copyOf(scripts)) : Optional.empty();
    } catch (IOException | URISyntaxException | UncheckedIOException e) {
      return Optional.empty();
    }
  }

  /**
   * The script a file name makes, its content read only when its checksum is asked for; empty when
   * the name is not understood.
   */
  static Optional<Script> parse(String fileName, ContentSource content) {
    Matcher m = NAME.matcher(fileName);
    if (!m.matches()) {
      return Optional.empty();
    }
    Kind kind =
        switch (m.group(1)) {
          case "V" -> Kind.VERSIONED;
          case "B" -> Kind.BASELINE;
          default -> Kind.REPEATABLE;
        };
    String version = m.group(2) == null ? null : m.group(2).replace('_', '.');
    if ((kind == Kind.REPEATABLE) != (version == null)) {
      return Optional.empty();
    }
    return Optional.of(
        new Script(fileName, kind, version, m.group(3).replace('_', ' '), () -> checksumOrNull(content)));
  }

  private static Integer checksumOrNull(ContentSource content) {
    try (InputStream in = content.open()) {
      return in == null ? null : checksum(in.readAllBytes());
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * Flyway's checksum: CRC-32 over each line's UTF-8 bytes, line ends and a leading BOM left out.
   * For well-formed UTF-8 that is the CRC of the file's bytes without its CR and LF bytes (they
   * occur in no multi-byte character), which needs no decoding into lines; anything else goes the
   * way Flyway goes, line by line through a reader.
   */
  static int checksum(byte[] content) throws IOException {
    if (!wellFormedUtf8(content)) {
      return checksumByLines(new java.io.ByteArrayInputStream(content));
    }
    CRC32 crc = new CRC32();
    int start = content.length >= 3
        && content[0] == (byte) 0xEF && content[1] == (byte) 0xBB && content[2] == (byte) 0xBF ? 3 : 0;
    int from = start;
    for (int i = start; i < content.length; i++) {
      if (content[i] == '\n' || content[i] == '\r') {
        crc.update(content, from, i - from);
        from = i + 1;
      }
    }
    crc.update(content, from, content.length - from);
    return (int) crc.getValue();
  }

  private static boolean wellFormedUtf8(byte[] content) {
    try {
      StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(content));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  /** Flyway's own way: CRC-32 over each line read as UTF-8, a BOM at the start left out. */
  static int checksumByLines(InputStream in) throws IOException {
    CRC32 crc = new CRC32();
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    String line;
    boolean first = true;
    while ((line = reader.readLine()) != null) {
      if (first && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
        line = line.substring(1);
      }
      first = false;
      crc.update(line.getBytes(StandardCharsets.UTF_8));
    }
    return (int) crc.getValue();
  }

  private static List<String> fileNames(URL root, String location)
      throws IOException, URISyntaxException {
    List<String> names = new ArrayList<>();
    switch (root.getProtocol()) {
      case "file" -> {
        try (Stream<Path> files = Files.list(Path.of(root.toURI()))) {
          files.filter(Files::isRegularFile).forEach(p -> names.add(p.getFileName().toString()));
        }
      }
      case "jar" -> {
        JarURLConnection connection = (JarURLConnection) root.openConnection();
        connection.setUseCaches(false);
        try (JarFile jar = connection.getJarFile()) {
          String prefix = location + "/";
          Enumeration<JarEntry> entries = jar.entries();
          while (entries.hasMoreElements()) {
            String entry = entries.nextElement().getName();
            if (entry.startsWith(prefix) && entry.length() > prefix.length()
                && entry.indexOf('/', prefix.length()) < 0) {
              names.add(entry.substring(prefix.length()));
            }
          }
        }
      }
      default -> throw new IOException("cannot list " + root);
    }
    return names;
  }

  /** Opens a script's content; null when it cannot be found. */
  @FunctionalInterface
  interface ContentSource {
    InputStream open() throws IOException;
  }
}
