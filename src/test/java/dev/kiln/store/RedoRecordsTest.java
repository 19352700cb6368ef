package dev.kiln.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedoRecordsTest {
  private static final Object[] EVERY_TYPE = {
    null,
    "ünïcode text",
    42,
    7_000_000_000L,
    true,
    0.25,
    new byte[] {1, 2, 3},
    OffsetDateTime.of(2026, 12, 6, 18, 40, 1, 123_456_789, ZoneOffset.ofHours(2)),
    LocalDateTime.of(2026, 12, 6, 18, 40, 2, 5)
  };

  @Test
  void recordsReadBackAsTheyWereWritten() throws Exception {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    log.write(RedoRecords.framed(7, RedoRecords.body(List.of(
        new RedoEvents.RowChange("t", null, EVERY_TYPE),
        new RedoEvents.RowChange("u", new Object[] {1}, null)))));
    log.write(RedoRecords.framed(8, RedoRecords.ABORTED_BODY));

    List<RedoRecords.Entry> entries = RedoRecords.read(new ByteArrayInputStream(log.toByteArray()));

    assertThat(entries).hasSize(2);
    RedoRecords.Entry first = entries.getFirst();
    assertThat(first.seq()).isEqualTo(7);
    assertThat(first.aborted()).isFalse();
    assertThat(first.changes().getFirst().table()).isEqualTo("t");
    assertThat(first.changes().getFirst().oldRow()).isNull();
    assertThat(Arrays.deepEquals(first.changes().getFirst().newRow(), EVERY_TYPE)).isTrue();
    assertThat(first.changes().get(1).oldRow()).containsExactly(1);
    assertThat(first.changes().get(1).newRow()).isNull();
    assertThat(entries.get(1).seq()).isEqualTo(8);
    assertThat(entries.get(1).aborted()).isTrue();
  }

  @Test
  void aRecordCutShortEndsTheLog() throws Exception {
    byte[] whole = RedoRecords.framed(1, RedoRecords.body(List.of(new RedoEvents.RowChange("t", null, new Object[] {1}))));
    byte[] cut = RedoRecords.framed(2, RedoRecords.body(List.of(new RedoEvents.RowChange("t", null, new Object[] {2}))));
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    log.write(whole);
    log.write(cut, 0, cut.length - 3);

    assertThat(RedoRecords.read(new ByteArrayInputStream(log.toByteArray())))
        .extracting(RedoRecords.Entry::seq)
        .containsExactly(1L);
  }

  @Test
  void aRecordNumberedBelowTheFirstEndsTheLog() throws Exception {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    log.write(RedoRecords.framed(10, RedoRecords.body(List.of(new RedoEvents.RowChange("t", null, new Object[] {10})))));
    log.write(RedoRecords.framed(11, RedoRecords.body(List.of(new RedoEvents.RowChange("t", null, new Object[] {11})))));
    log.write(RedoRecords.framed(10, RedoRecords.ABORTED_BODY)); // an abort notice repeats its number
    log.write(RedoRecords.framed(4, RedoRecords.body(List.of(new RedoEvents.RowChange("t", null, new Object[] {4})))));
    log.write(RedoRecords.framed(12, RedoRecords.body(List.of(new RedoEvents.RowChange("t", null, new Object[] {12})))));

    assertThat(RedoRecords.read(new ByteArrayInputStream(log.toByteArray())))
        .extracting(RedoRecords.Entry::seq, RedoRecords.Entry::aborted)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(10L, false),
            org.assertj.core.groups.Tuple.tuple(11L, false),
            org.assertj.core.groups.Tuple.tuple(10L, true));
  }

  @Test
  void aDamagedRecordEndsTheLog() throws Exception {
    byte[] first = RedoRecords.framed(1, RedoRecords.body(List.of(new RedoEvents.RowChange("t", null, new Object[] {1}))));
    byte[] damaged = RedoRecords.framed(2, RedoRecords.body(List.of(new RedoEvents.RowChange("t", null, new Object[] {2}))));
    damaged[damaged.length - 1] ^= 0x55;
    byte[] after = RedoRecords.framed(3, RedoRecords.body(List.of(new RedoEvents.RowChange("t", null, new Object[] {3}))));
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    log.write(first);
    log.write(damaged);
    log.write(after);

    assertThat(RedoRecords.read(new ByteArrayInputStream(log.toByteArray())))
        .extracting(RedoRecords.Entry::seq)
        .containsExactly(1L);
  }

  @Test
  void everyColumnTypeOfKilnsSchemaIsOneTheLogCanWrite() {
    // The types RedoRecords writes, as H2 names the column types that give them to a trigger.
    java.util.Set<String> written =
        java.util.Set.of(
            "character varying", "integer", "bigint", "boolean", "double precision",
            "binary varying", "timestamp with time zone", "timestamp");
    try (Database db = Database.inMemory("redo-types-" + System.nanoTime())) {
      List<String> types =
          db.sql()
              .query(
                  "SELECT DISTINCT LOWER(data_type) AS t FROM information_schema.columns"
                      + " WHERE table_schema = 'public'",
                  row -> row.getString("t"));
      assertThat(written)
          .as("a migration uses a column type the redo log cannot write: teach RedoRecords it")
          .containsAll(types);
    }
  }

  @Test
  void aValueOfATypeTheLogDoesNotKnowIsRefused() {
    List<RedoEvents.RowChange> changes =
        List.of(new RedoEvents.RowChange("t", null, new Object[] {new java.math.BigDecimal("1.5")}));

    assertThatThrownBy(() -> RedoRecords.body(changes))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("java.math.BigDecimal");
  }
}
