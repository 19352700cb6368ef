package dev.kiln.image.store;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Image data on disk: one file per image, {@code <dir>/<image id>}. Uploads stream into a temporary
 * file beside it, hashing as they go, and are moved into place in one step, so a reader sees the
 * whole file or none.
 */
public final class ImageFiles {
  /** How many leading bytes of an upload are kept, for recognising its format. */
  public static final int HEADER_BYTES = 512;

  private static final int BUFFER = 64 * 1024;

  private final Path dir;

  public ImageFiles(Path dir) {
    this.dir = requireNonNull(dir, "dir is null").toAbsolutePath();
  }

  /** Data received into a temporary file, not yet in place. */
  public record Received(Path file, long size, String md5, String sha512, byte[] header) {}

  /** The upload was larger than allowed; nothing was kept. */
  public static final class TooLargeException extends IOException {
    public TooLargeException(String message) {
      super(message);
    }
  }

  /**
   * Reads {@code data} to its end into a temporary file, computing its size, MD5 and SHA-512.
   *
   * @throws TooLargeException once more than {@code maxBytes} arrive (the partial file is removed)
   * @throws IOException when the data cannot be read or written (the partial file is removed)
   */
  public Received receive(String id, InputStream data, long maxBytes) throws IOException {
    createDir();
    Path temp = Files.createTempFile(dir, id + ".", ".upload");
    try {
      MessageDigest md5 = digest("MD5");
      MessageDigest sha512 = digest("SHA-512");
      byte[] header = new byte[HEADER_BYTES];
      int headerLength = 0;
      long size = 0;
      byte[] buffer = new byte[BUFFER];
      try (OutputStream out = Files.newOutputStream(temp)) {
        int n;
        while ((n = data.read(buffer)) >= 0) {
          if (n == 0) {
            continue;
          }
          size += n;
          if (size > maxBytes) {
            throw new TooLargeException(
                "Denying attempt to upload image larger than " + maxBytes + " bytes.");
          }
          if (headerLength < HEADER_BYTES) {
            int take = Math.min(n, HEADER_BYTES - headerLength);
            System.arraycopy(buffer, 0, header, headerLength, take);
            headerLength += take;
          }
          md5.update(buffer, 0, n);
          sha512.update(buffer, 0, n);
          out.write(buffer, 0, n);
        }
      }
      HexFormat hex = HexFormat.of();
      return new Received(
          temp, size, hex.formatHex(md5.digest()), hex.formatHex(sha512.digest()),
          Arrays.copyOf(header, headerLength));
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
  }

  /** Moves received data into place as the image's file. */
  public void install(Received received, String id) {
    try {
      move(received.file(), path(id));
    } catch (IOException e) {
      discard(received);
      throw new UncheckedIOException("cannot store the data of image " + id, e);
    }
  }

  public void discard(Received received) {
    try {
      Files.deleteIfExists(received.file());
    } catch (IOException e) {
      // A stray temporary file costs disk space only.
    }
  }

  /** Writes a whole file at once (seed images), through a temporary file and a move. */
  public void write(String id, byte[] data) {
    try {
      createDir();
      Path temp = Files.createTempFile(dir, id + ".", ".upload");
      try {
        Files.write(temp, data);
        move(temp, path(id));
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the data of image " + id, e);
    }
  }

  /** The image's data with its length, or empty when it has no file. */
  public Optional<Opened> open(String id) {
    Path file = path(id);
    try {
      InputStream in = Files.newInputStream(file);
      // Size from the open file: it stays readable even if the image is deleted meanwhile.
      return Optional.of(new Opened(Files.size(file), in));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the data of image " + id, e);
    }
  }

  /** An open data file. */
  public record Opened(long length, InputStream data) {}

  /** The size of the image's file, or -1 when it has none. */
  public long size(String id) {
    try {
      return Files.size(path(id));
    } catch (NoSuchFileException e) {
      return -1;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the data of image " + id, e);
    }
  }

  public void delete(String id) {
    try {
      Files.deleteIfExists(path(id));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the data of image " + id, e);
    }
  }

  private Path path(String id) {
    Path file = dir.resolve(id).normalize();
    if (!file.getParent().equals(dir)) {
      throw new IllegalArgumentException("not an image id: " + id);
    }
    return file;
  }

  private void createDir() throws IOException {
    Files.createDirectories(dir);
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static MessageDigest digest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is part of every JDK", e);
    }
  }
}
