package dev.kiln.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A copy of an open embedded database's files as a kill -9 would leave them: H2's file as written
 * so far, its open marker, and the redo log.
 */
final class KillImage {
  private KillImage() {}

  static void copy(Path dataDir, Path image) throws IOException {
    Files.createDirectories(image.resolve("kiln-redo"));
    // The log first: what H2's file holds then was logged before the copy of the log was taken.
    try (Stream<Path> segments = Files.list(dataDir.resolve("kiln-redo"))) {
      for (Path segment : segments.toList()) {
        try {
          Files.copy(segment, image.resolve("kiln-redo").resolve(segment.getFileName()));
        } catch (java.nio.file.NoSuchFileException e) {
          // A checkpoint deleted it after H2 forced what it held; the file copied below has that.
        }
      }
    }
    Files.copy(dataDir.resolve("kiln.mv.db"), image.resolve("kiln.mv.db"));
    Files.copy(dataDir.resolve("kiln.open"), image.resolve("kiln.open"));
  }
}
