package dev.kiln.store;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The redo log's file format: a sequence of records, each {@code [length][CRC-32C][number][body]},
 * whose body is a transaction's row changes (table, old row, new row), or an abort notice for a
 * number whose commit failed after its record was written.
 *
 * <p>A record cut short (the process died while writing it) or damaged ends the log: what
 * follows it was never acknowledged, since a commit is answered only after its record is whole. So
 * does a record numbered below the stream's first: a file is written over from its start when it
 * is recycled, and what follows its new records is from its earlier use, all numbered lower (an
 * abort notice repeats its record's number, in the same file, after it).
 * Values are the Java types H2 gives a trigger for the column types Kiln's schema uses; any other
 * type fails the write that carries it, rather than being logged wrongly.
 */
final class RedoRecords {
  private static final int ABORTED = -1;

  private static final byte NULL = 0;
  private static final byte STRING = 1;
  private static final byte INT = 2;
  private static final byte LONG = 3;
  private static final byte BOOLEAN = 4;
  private static final byte DOUBLE = 5;
  private static final byte BYTES = 6;
  private static final byte TIMESTAMP_TZ = 7;
  private static final byte TIMESTAMP = 8;

  private RedoRecords() {}

  /** A transaction read back from the log: its number and changes, or aborted. */
  record Entry(long seq, boolean aborted, List<RedoEvents.RowChange> changes) {}

  /** The body of a record of these row changes; {@link #framed} gives it its number. */
  static byte[] body(List<RedoEvents.RowChange> changes) {
    ByteArrayOutputStream body = new ByteArrayOutputStream(64 + changes.size() * 256);
    try (DataOutputStream out = new DataOutputStream(body)) {
      out.writeInt(changes.size());
      for (RedoEvents.RowChange change : changes) {
        out.writeUTF(change.table());
        writeRow(out, change.oldRow());
        writeRow(out, change.newRow());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return body.toByteArray();
  }

  /** The body saying a numbered transaction did not commit after all. */
  static final byte[] ABORTED_BODY = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff};

  /** The record of transaction {@code seq}, ready to append: length, checksum, number, body. */
  static byte[] framed(long seq, byte[] body) {
    byte[] record = new byte[16 + body.length];
    writeInt(record, 0, 8 + body.length);
    writeInt(record, 4, crc(seq, body));
    for (int i = 0; i < 8; i++) {
      record[8 + i] = (byte) (seq >>> (56 - 8 * i));
    }
    System.arraycopy(body, 0, record, 16, body.length);
    return record;
  }

  /**
   * Reads every whole record of {@code in}, stopping at the first cut-short or damaged one, or one
   * numbered below the first.
   */
  static List<Entry> read(InputStream in) throws IOException {
    List<Entry> entries = new ArrayList<>();
    DataInputStream data = new DataInputStream(in);
    while (true) {
      int length;
      int checksum;
      byte[] frame;
      try {
        length = data.readInt();
        checksum = data.readInt();
      } catch (EOFException e) {
        return entries;
      }
      if (length < 12 || length > 1 << 30) {
        return entries;
      }
      frame = data.readNBytes(length);
      if (frame.length < length) {
        return entries;
      }
      long seq = java.nio.ByteBuffer.wrap(frame, 0, 8).getLong();
      byte[] body = java.util.Arrays.copyOfRange(frame, 8, frame.length);
      if (crc(seq, body) != checksum) {
        return entries;
      }
      if (!entries.isEmpty() && seq < entries.getFirst().seq()) {
        return entries; // a recycled file's earlier use (RedoFiles): numbers only grow
      }
      entries.add(entry(seq, body));
    }
  }

  private static Entry entry(long seq, byte[] body) throws IOException {
    DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(body));
    int count = in.readInt();
    if (count == ABORTED) {
      return new Entry(seq, true, List.of());
    }
    List<RedoEvents.RowChange> changes = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String table = in.readUTF();
      Object[] oldRow = readRow(in);
      Object[] newRow = readRow(in);
      changes.add(new RedoEvents.RowChange(table, oldRow, newRow));
    }
    return new Entry(seq, false, changes);
  }

  private static void writeInt(byte[] into, int at, int value) {
    into[at] = (byte) (value >>> 24);
    into[at + 1] = (byte) (value >>> 16);
    into[at + 2] = (byte) (value >>> 8);
    into[at + 3] = (byte) value;
  }

  private static void writeRow(DataOutputStream out, Object[] row) throws IOException {
    if (row == null) {
      out.writeInt(-1);
      return;
    }
    out.writeInt(row.length);
    for (Object value : row) {
      writeValue(out, value);
    }
  }

  private static Object[] readRow(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0) {
      return null;
    }
    Object[] row = new Object[length];
    for (int i = 0; i < length; i++) {
      row[i] = readValue(in);
    }
    return row;
  }

  private static void writeValue(DataOutputStream out, Object value) throws IOException {
    switch (value) {
      case null -> out.writeByte(NULL);
      case String s -> {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        out.writeByte(STRING);
        out.writeInt(utf8.length);
        out.write(utf8);
      }
      case Integer i -> {
        out.writeByte(INT);
        out.writeInt(i);
      }
      case Long l -> {
        out.writeByte(LONG);
        out.writeLong(l);
      }
      case Boolean b -> {
        out.writeByte(BOOLEAN);
        out.writeBoolean(b);
      }
      case Double d -> {
        out.writeByte(DOUBLE);
        out.writeDouble(d);
      }
      case byte[] bytes -> {
        out.writeByte(BYTES);
        out.writeInt(bytes.length);
        out.write(bytes);
      }
      case OffsetDateTime t -> {
        out.writeByte(TIMESTAMP_TZ);
        out.writeLong(t.toEpochSecond());
        out.writeInt(t.getNano());
        out.writeInt(t.getOffset().getTotalSeconds());
      }
      case LocalDateTime t -> {
        out.writeByte(TIMESTAMP);
        out.writeLong(t.toEpochSecond(ZoneOffset.UTC));
        out.writeInt(t.getNano());
      }
      default ->
          throw new IllegalStateException(
              "the redo log cannot write a value of type " + value.getClass().getName()
                  + "; teach RedoRecords this column type before using it");
    }
  }

  private static Object readValue(DataInputStream in) throws IOException {
    byte tag = in.readByte();
    return switch (tag) {
      case NULL -> null;
      case STRING -> new String(in.readNBytes(in.readInt()), StandardCharsets.UTF_8);
      case INT -> in.readInt();
      case LONG -> in.readLong();
      case BOOLEAN -> in.readBoolean();
      case DOUBLE -> in.readDouble();
      case BYTES -> in.readNBytes(in.readInt());
      case TIMESTAMP_TZ -> {
        long seconds = in.readLong();
        int nanos = in.readInt();
        ZoneOffset offset = ZoneOffset.ofTotalSeconds(in.readInt());
        yield OffsetDateTime.ofInstant(java.time.Instant.ofEpochSecond(seconds, nanos), offset);
      }
      case TIMESTAMP -> LocalDateTime.ofEpochSecond(in.readLong(), in.readInt(), ZoneOffset.UTC);
      default -> throw new IOException("unknown value tag " + tag + " in the redo log");
    };
  }

  /** The checksum of a record: over its number and its body. */
  static int crc(long seq, byte[] body) {
    CRC32C crc = new CRC32C();
    for (int shift = 56; shift >= 0; shift -= 8) {
      crc.update((int) (seq >>> shift));
    }
    crc.update(body);
    return (int) crc.getValue();
  }
}
