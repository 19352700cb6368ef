package dev.kiln.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The redo log's files: numbered, in one directory, written one at a time. Not thread-safe:
 * {@link RedoLog} orders the calls (appends under its append lock, switching files under its
 * rotation lock, recycling on the checkpoint's thread after the switch).
 *
 * <p>A file whose records a checkpoint covered is not deleted but kept as the {@link #SPARE}, and
 * the next file is that one, written over from its start. Why: appending grows a file, and on ext4
 * a commit's fdatasync then waits for the journal to commit the new size as well as for the
 * record; written over blocks it already has, it waits for the record alone (0.17 → 0.12 ms per
 * forced 600-byte record on this machine kind's disk). What the spare held before stays after the
 * new records until they reach over it; {@link RedoRecords#read} stops at it, since its numbers
 * are all below the file's first new one, and a spare's first record is zeroed before it is kept,
 * so that a spare taken into use and not yet written reads as empty.
 */
final class RedoFiles {
  private static final String SUFFIX = ".redo";
  /** The covered file kept to be written over next; not a {@link #SUFFIX} file, so never replayed. */
  static final String SPARE = "recycled.spare";
  /** The bytes zeroed at a spare's start: its first record's length and checksum. */
  private static final int FIRST_HEADER = 8;
  /**
   * What a smaller spare is filled up to with zeros (once: a recycled file never shrinks), so that
   * a quiet second's short file does not leave the next, busier one appending: ~1,000 port creates.
   */
  static final long MIN_SPARE_BYTES = 1 << 20;

  private final Path directory;
  private FileChannel current;
  private long number;
  /** Where the current file's next record goes. */
  private long position;
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

  /** Closes the current file, if any, and starts the next one: the spare renamed, if there is one. */
  void openNext() throws IOException {
    Files.createDirectories(directory);
    closeCurrent();
    number++;
    Path next = directory.resolve(String.format("%012d%s", number, SUFFIX));
    Path spare = directory.resolve(SPARE);
    if (Files.exists(spare)) {
      if (Files.exists(next)) {
        throw new FileAlreadyExistsException(next.toString());
      }
      Files.move(spare, next, StandardCopyOption.ATOMIC_MOVE);
      current = FileChannel.open(next, StandardOpenOption.WRITE);
    } else {
      current = FileChannel.open(next, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }
    position = 0;
    nameForced = false; // by the first force that needs it, not here, where commits wait
  }

  /** Writes a whole record after the current file's last one. */
  void append(byte[] record) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(record);
    while (buffer.hasRemaining()) {
      position += current.write(buffer, position);
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

  /**
   * Ends the files older than the current one, whose records a checkpoint covered: the newest of
   * them becomes the spare when there is none, the others are deleted.
   */
  void deleteOlder() throws IOException {
    List<Path> older = all().stream().filter(file -> number(file) < number).toList();
    boolean spareKept = Files.exists(directory.resolve(SPARE));
    for (Path file : older.reversed()) {
      if (spareKept) {
        Files.delete(file);
      } else {
        keepAsSpare(file);
        spareKept = true;
      }
    }
  }

  /**
   * Zeroes the file's first record header and fills it up to {@link #MIN_SPARE_BYTES}, forced
   * before the rename: a spare on the disk always reads as empty, whatever moment a crash picks.
   */
  private void keepAsSpare(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      writeZeros(channel, 0, FIRST_HEADER);
      long size = channel.size();
      if (size < MIN_SPARE_BYTES) {
        writeZeros(channel, size, MIN_SPARE_BYTES - size);
      }
      channel.force(false);
    }
    Files.move(file, directory.resolve(SPARE), StandardCopyOption.ATOMIC_MOVE);
  }

  private static void writeZeros(FileChannel channel, long from, long count) throws IOException {
    ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(count, 64 * 1024));
    long at = from;
    while (at < from + count) {
      zeros.clear().limit((int) Math.min(zeros.capacity(), from + count - at));
      while (zeros.hasRemaining()) {
        at += channel.write(zeros, at);
      }
    }
  }

  /** Closes the current file and deletes every file, the spare too. */
  void deleteAll() throws IOException {
    closeCurrent();
    for (Path file : all()) {
      Files.delete(file);
    }
    Files.deleteIfExists(directory.resolve(SPARE));
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
