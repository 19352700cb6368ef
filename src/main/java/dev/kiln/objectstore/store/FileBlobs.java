package dev.kiln.objectstore.store;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Blobs as files, {@code <dir>/<first two characters of the id>/<id>}: the fan-out keeps any one
 * directory small. A write goes to a temporary file that is moved into place once complete and
 * forced to disk, so a crash never leaves a blob half-written under its own name. A blob deleted
 * while being read stays readable to that reader (the open file keeps it).
 */
public final class FileBlobs implements Blobs {
  private static final Pattern ID = Pattern.compile("[0-9a-f-]{8,36}");
  private static final int BUFFER = 64 * 1024;

  private final Path dir;

  public FileBlobs(Path dir) {
    this.dir = requireNonNull(dir, "dir is null").toAbsolutePath();
  }

  @Override
  public Written write(String blobId, InputStream data, long maxBytes) throws IOException {
    Path target = path(blobId);
    Files.createDirectories(target.getParent());
    Path temp = Files.createTempFile(target.getParent(), blobId + ".", ".part");
    try {
      Md5Counter counter = new Md5Counter(maxBytes);
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE);
          OutputStream out = Channels.newOutputStream(channel)) {
        byte[] buffer = new byte[BUFFER];
        int n;
        while ((n = data.read(buffer)) >= 0) {
          if (n > 0) {
            counter.add(buffer, 0, n);
            out.write(buffer, 0, n);
          }
        }
        out.flush();
        channel.force(true);
      }
      move(temp, target);
      return counter.written();
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
  }

  @Override
  public Optional<InputStream> open(String blobId, long offset, long length) {
    try {
      FileChannel channel = FileChannel.open(path(blobId), StandardOpenOption.READ);
      channel.position(offset);
      return Optional.of(new BoundedInputStream(Channels.newInputStream(channel), length));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read blob " + blobId, e);
    }
  }

  @Override
  public void delete(String blobId) {
    try {
      Files.deleteIfExists(path(blobId));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete blob " + blobId, e);
    }
  }

  private Path path(String blobId) {
    if (!ID.matcher(blobId).matches()) {
      throw new IllegalArgumentException("not a blob id: " + blobId);
    }
    return dir.resolve(blobId.substring(0, 2)).resolve(blobId);
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to);
    }
  }
}
