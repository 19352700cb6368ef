package dev.kiln.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The redo log's files: a covered one is kept and written over as the next, never read as new. */
class RedoFilesTest {
  @TempDir Path directory;

  @Test
  void aCoveredFileIsWrittenOverAsTheNextOne() throws Exception {
    RedoFiles files = recycledOnce();

    assertThat(files.all()).hasSize(1);
    Path spare = directory.resolve(RedoFiles.SPARE);
    assertThat(spare).exists();
    assertThat(Files.size(spare)).as("a short file filled up with zeros").isEqualTo(RedoFiles.MIN_SPARE_BYTES);
    files.openNext();
    assertThat(spare).doesNotExist();
    assertThat(Files.size(files.all().getLast())).as("the new file is the spare, not a new one")
        .isEqualTo(RedoFiles.MIN_SPARE_BYTES);
  }

  @Test
  void aSpareLargerThanTheMinimumKeepsItsSize() throws Exception {
    RedoFiles files = new RedoFiles(directory);
    files.openNext();
    long written = 0;
    for (long seq = 1; written <= RedoFiles.MIN_SPARE_BYTES; seq++) {
      byte[] large = record(seq, "x".repeat(60_000));
      files.append(large);
      written += large.length;
    }
    files.openNext();
    files.deleteOlder();

    assertThat(Files.size(directory.resolve(RedoFiles.SPARE))).isEqualTo(written);
  }

  @Test
  void aSpareTakenIntoUseReadsAsEmptyUntilWrittenTo() throws Exception {
    RedoFiles files = recycledOnce();

    files.openNext();

    assertThat(RedoFiles.read(List.of(files.all().getLast()))).isEmpty();
  }

  @Test
  void whatARecycledFileHeldBeforeIsNotReadAfterItsNewRecords() throws Exception {
    RedoFiles files = recycledOnce();
    files.openNext();
    // As long as the earlier use's first record, so the next whole record is the earlier use's
    // second one, whose checksum is right.
    files.append(record(10, "a row of the FIRST file"));

    assertThat(RedoFiles.read(List.of(files.all().getLast())))
        .extracting(RedoRecords.Entry::seq)
        .containsExactly(10L);
  }

  @Test
  void deletingEverythingDeletesTheSpareToo() throws Exception {
    RedoFiles files = recycledOnce();

    files.deleteAll();

    try (var left = Files.list(directory)) {
      assertThat(left.toList()).isEmpty();
    }
  }

  /** Files whose first (records 1 to 3) was covered and kept as the spare; the second is current. */
  private RedoFiles recycledOnce() throws Exception {
    RedoFiles files = new RedoFiles(directory);
    files.openNext();
    for (long seq = 1; seq <= 3; seq++) {
      files.append(record(seq, "a row of the first file"));
    }
    files.openNext();
    files.append(record(4, "a row of the second file"));
    files.deleteOlder();
    return files;
  }

  private static byte[] record(long seq, String value) {
    return RedoRecords.framed(seq, RedoRecords.body(List.of(new RedoEvents.RowChange("t", null, new Object[] {value}))));
  }
}
