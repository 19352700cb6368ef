package dev.kiln.objectstore.store;

import static java.util.Objects.requireNonNull;

import dev.kiln.store.Database;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * Blobs as rows of {@code objectstore_chunk}, {@link #CHUNK} bytes each (the last may be
 * shorter), for Kiln on PostgreSQL: every node sharing the database reads the same bytes. A write
 * holds one chunk in memory at a time and commits each as it goes; a failed write deletes what it
 * wrote. A read fetches one chunk at a time, starting at the one its range begins in. A blob
 * deleted while being read ends that read early (the overwrite or delete that removed it won).
 */
public final class DatabaseBlobs implements Blobs {
  /** 1 MiB: big enough that a 5 GiB object is 5,120 rows, small enough to hold one per upload. */
  public static final int CHUNK = 1024 * 1024;

  private final Database db;

  public DatabaseBlobs(Database db) {
    this.db = requireNonNull(db, "db is null");
  }

  @Override
  public Written write(String blobId, InputStream data, long maxBytes) throws IOException {
    Md5Counter counter = new Md5Counter(maxBytes);
    int seq = 0;
    try {
      while (true) {
        // readNBytes sizes its answer to what arrived, so a small object costs a small array.
        byte[] chunk = data.readNBytes(CHUNK);
        if (chunk.length == 0 && seq > 0) {
          break;
        }
        counter.add(chunk, 0, chunk.length);
        db.sql().update("INSERT INTO objectstore_chunk (blob_id, seq, data) VALUES (?, ?, ?)", blobId, seq, chunk);
        seq++;
        if (chunk.length < CHUNK) {
          break;
        }
      }
      return counter.written();
    } catch (IOException | RuntimeException e) {
      delete(blobId);
      throw e;
    }
  }

  @Override
  public Optional<InputStream> open(String blobId, long offset, long length) {
    long first = offset / CHUNK;
    if (db.sql().count("SELECT COUNT(*) FROM objectstore_chunk WHERE blob_id = ? AND seq = ?", blobId, (int) first) == 0) {
      return Optional.empty();
    }
    return Optional.of(new ChunkStream(blobId, (int) first, (int) (offset % CHUNK), length));
  }

  @Override
  public void delete(String blobId) {
    db.sql().update("DELETE FROM objectstore_chunk WHERE blob_id = ?", blobId);
  }

  /** Reads chunks in order, one query each, as the reader gets to them. */
  private final class ChunkStream extends InputStream {
    private final String blobId;
    private int seq;
    private int skipInFirst;
    private long remaining;
    private byte[] current = new byte[0];
    private int position;

    ChunkStream(String blobId, int seq, int skipInFirst, long remaining) {
      this.blobId = blobId;
      this.seq = seq;
      this.skipInFirst = skipInFirst;
      this.remaining = remaining;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      if (position >= current.length && !fetch()) {
        return -1;
      }
      int n = (int) Math.min(Math.min(len, current.length - position), remaining);
      System.arraycopy(current, position, b, off, n);
      position += n;
      remaining -= n;
      return n;
    }

    private boolean fetch() throws IOException {
      Optional<byte[]> next =
          db.sql().queryOne(
              "SELECT data FROM objectstore_chunk WHERE blob_id = ? AND seq = ?",
              r -> r.getBytes("data"), blobId, seq);
      if (next.isEmpty()) {
        throw new IOException("blob " + blobId + " was removed while it was read (chunk " + seq + ")");
      }
      seq++;
      current = next.get();
      position = Math.min(skipInFirst, current.length);
      skipInFirst = 0;
      return position < current.length;
    }
  }
}
