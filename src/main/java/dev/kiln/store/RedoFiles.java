package dev.kiln.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The redo log's files: numbered, in one directory, appended to one at a time. Not thread-safe:
 * {@link RedoLog} orders the calls (appends under its append lock, switching files under its
 * rotation lock).
 */
final class RedoFiles {
  private static final String SUFFIX = ".redo";

  private final Path directory;
  private FileChannel current;
  private long number;
  /** Whether the current file's directory entry is on the disk (forced once per file). */
  private volatile boolean nameForced;

  RedoFiles(Path directory) {
    this.directory = directory;
  }

  Path directory() {
    return directory;
  }

  /** The files there, oldest first. */
  List<Path> all() throws IOException {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(directory)) {
      return files.filter(file -> file.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
    }
  }

  /** Every whole record of {@code files}, in order. */
  static List<RedoRecords.Entry> read(List<Path> files) throws IOException {
    List<RedoRecords.Entry> entries = new ArrayList<>();
    for (Path file : files) {
      try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file))) {
        entries.addAll(RedoRecords.read(in));
      }
    }
    return entries;
  }

  /** Deletes {@code files}, and numbers the next file after the last of them. */
  void deleteAndContinueAfter(List<Path> files) throws IOException {
    for (Path file : files) {
      Files.delete(file);
    }
    if (!files.isEmpty()) {
      number = Math.max(number, number(files.getLast()));
    }
  }

  /** Closes the current file, if any, and starts the next one. */
  void openNext() throws IOException {
    Files.createDirectories(directory);
    closeCurrent();
    number++;
    current =
        FileChannel.open(
            directory.resolve(String.format("%012d%s", number, SUFFIX)),
            StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE,
            StandardOpenOption.APPEND);
    nameForced = false; // by the first force that needs it, not here, where commits wait
  }

  /** Appends a whole record to the current file. */
  void append(byte[] record) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(record);
    while (buffer.hasRemaining()) {
      current.write(buffer);
    }
  }

  /** Forces the current file to the disk, and its name the first time. */
  void force() throws IOException {
    if (!nameForced) {
      // The file's name must survive a crash of the machine before its records do.
      try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
        dir.force(true);
      }
      nameForced = true;
    }
    current.force(false);
  }

  /** Deletes the files older than the current one. */
  void deleteOlder() throws IOException {
    for (Path file : all()) {
      if (number(file) < number) {
        Files.delete(file);
      }
    }
  }

  /** Closes the current file and deletes every file. */
  void deleteAll() throws IOException {
    closeCurrent();
    for (Path file : all()) {
      Files.delete(file);
    }
  }

  boolean isOpen() {
    return current != null;
  }

  private void closeCurrent() throws IOException {
    if (current != null) {
      current.close();
      current = null;
    }
  }

  private static long number(Path file) {
    String name = file.getFileName().toString();
    return Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
  }
}
