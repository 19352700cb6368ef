package dev.kiln.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Why the embedded store is recovered after a crash before it is opened, and that the recovery
 * finds every commit. A copy of the H2 file taken while the store is open is exactly what a kill
 * -9 leaves on disk (every write the process made is in it, nothing written at close), so each
 * commit below is followed by such a copy, a "crash image".
 */
class UncleanShutdownTest {
  @TempDir Path dir;

  @Test
  void recoveryFindsTheLastCommitInEveryCrashImage() throws IOException {
    Path file = dir.resolve("probe.mv.db");
    List<Integer> lostByPlainOpen = new ArrayList<>();
    List<Integer> lostAfterRecovery = new ArrayList<>();
    MVStore store = new MVStore.Builder().fileName(file.toString()).autoCommitDisabled().open();
    try {
      store.setRetentionTime(0); // free chunks are reused at once, as a long-lived file's are
      MVMap<Integer, byte[]> map = store.openMap("data");
      // Until a plain open has missed a commit and 20 more crash images were checked, at most 300.
      for (int commit = 0; commit < 300; commit++) {
        if (!lostByPlainOpen.isEmpty() && commit > lostByPlainOpen.getFirst() + 20) {
          break;
        }
        // Mostly small commits that overwrite a few keys, and now and then a big one: the big
        // chunk goes to the end of the file, the next small one into space freed before it.
        int size = commit % 9 == 8 ? 64 * 1024 : 512;
        map.put(commit % 16, new byte[size]);
        map.put(1_000 + commit, new byte[16]);
        store.commit();
        Path image = dir.resolve("image-" + commit);
        Files.createDirectories(image);
        Path copy = Files.copy(file, image.resolve("kiln.mv.db"), StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(image.resolve("kiln.open"), "crashed"); // the run never closed it
        if (!hasKey(copy, 1_000 + commit)) {
          lostByPlainOpen.add(commit);
        }
        UncleanShutdown.recoverIfNeeded(image.resolve("kiln")).closedCleanly();
        if (!hasKey(copy, 1_000 + commit)) {
          lostAfterRecovery.add(commit);
        }
        deleteTree(image);
      }
    } finally {
      store.closeImmediately();
    }
    assertThat(lostAfterRecovery).as("commits missing after recovery").isEmpty();
    // H2 2.5.252 opened without recovery loses some of these commits; if a later H2 loses none,
    // this says so, and the recovery step may be reconsidered.
    assertThat(lostByPlainOpen).as("commits a plain open of a crash image misses").isNotEmpty();
  }

  @Test
  void anOpenDatabaseIsMarkedAndACleanCloseRemovesTheMark() {
    Database first = Database.embedded(dir);
    assertThat(dir.resolve("kiln.open")).exists();
    first.close();
    assertThat(dir.resolve("kiln.open")).doesNotExist();
  }

  private static boolean hasKey(Path file, int key) {
    MVStore store = new MVStore.Builder().fileName(file.toString()).readOnly().open();
    try {
      return store.<Integer, byte[]>openMap("data").containsKey(key);
    } finally {
      store.closeImmediately();
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
