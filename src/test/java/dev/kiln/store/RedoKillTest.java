package dev.kiln.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real kill -9 of a process whose writers commit through the redo log as fast as they can, again
 * and again on one data directory: every start after a kill opens (in bounded time), and every
 * key holds what its last acknowledged commit wrote, or what the commit in flight at the kill
 * would have written; no commit is half there.
 *
 * <p>Why a child process: copies of a file taken while a process writes it are torn in ways no
 * crash tears it, and a kill inside the test's own JVM is not possible. This found what copies
 * could not: H2 writing a chunk while transactions were open left, after a kill, uncommitted
 * changes no undo entry covered, on which the next start hung or met a duplicate key ({@link
 * QuiescentGate}).
 */
class RedoKillTest {
  private static final int WRITERS = 6;
  private static final int KEYS_PER_WRITER = 40;
  private static final int KILLS = 8;
  private static final long SEED = Long.getLong("kiln.kill.seed", System.nanoTime());

  @TempDir Path dataDir;

  @Test
  void everyStartAfterAKillOpensToTheAcknowledgedCommits() throws Exception {
    Random random = new Random(SEED);
    try (Database db = Database.embedded(dataDir)) {
      db.sql().update("CREATE TABLE kill_probe (k VARCHAR(40) PRIMARY KEY, v BIGINT NOT NULL, pad VARCHAR(300))");
      try (java.sql.Connection connection = db.dataSource().getConnection()) {
        RedoTriggers.install(connection);
      }
    }
    Map<String, Long> known = new HashMap<>(); // key -> value the last start found (absent: no row)
    for (int kill = 0; kill < KILLS; kill++) {
      // Checkpoints from ten a second to one a second: kills before, during and between them.
      Process child = startChild(100 + random.nextInt(900), kill);
      List<String> lines = new ArrayList<>();
      Future<?> reader = readLines(child, lines);
      awaitLine(lines, "READY", child);
      Thread.sleep(200 + random.nextInt(1_300));
      // SIGKILL through the handle: Process.destroyForcibly also closes the pipe, and the lines
      // still in it (commits the writers announced) would be lost to the check.
      child.toHandle().destroyForcibly();
      child.waitFor(10, TimeUnit.SECONDS);
      reader.get(10, TimeUnit.SECONDS);

      Map<String, Long> found = openWithin(60);
      String context = "seed " + SEED + ", kill " + (kill + 1);
      checkAgainstLog(lines, known, found, context);
      known = found;
    }
  }

  /** Opens the data directory as a start after a crash does, and reads every row. */
  private Map<String, Long> openWithin(int seconds) throws Exception {
    ExecutorService opener = Executors.newSingleThreadExecutor();
    try {
      Future<Map<String, Long>> rows =
          opener.submit(
              () -> {
                try (Database db = Database.embedded(dataDir)) {
                  Map<String, Long> out = new HashMap<>();
                  db.sql().query("SELECT k, v FROM kill_probe", r -> out.put(r.getString("k"), r.getLong("v")));
                  return out;
                }
              });
      try {
        return rows.get(seconds, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        throw new AssertionError(
            "a start after a kill did not open within " + seconds + " s (seed " + SEED + ")", e);
      }
    } finally {
      opener.shutdownNow();
    }
  }

  /**
   * Each writer's commits are logged as TRY before and ACK after; one commit per writer may be in
   * flight at the kill. A key must hold its last acknowledged value (or the start's value if it was
   * never acknowledged since), or the value of the commit that was in flight.
   */
  private static void checkAgainstLog(
      List<String> lines, Map<String, Long> before, Map<String, Long> found, String context) {
    Map<String, Long> acknowledged = new HashMap<>(before);
    Map<Integer, String[]> inFlight = new HashMap<>();
    List<String> keysTouched = new ArrayList<>();
    synchronized (lines) {
      for (String line : lines) {
        String[] p = line.split(" ");
        switch (p[0]) {
          case "TRY" -> inFlight.put(Integer.parseInt(p[1]), p);
          case "ACK" -> {
            String[] tried = inFlight.remove(Integer.parseInt(p[1]));
            keysTouched.addAll(applyTo(acknowledged, tried));
          }
          default -> {}
        }
      }
    }
    Map<String, Long> expected = new HashMap<>(acknowledged);
    Map<String, Long> alternative = new HashMap<>(acknowledged);
    for (String[] tried : inFlight.values()) {
      applyTo(alternative, tried);
    }
    // A commit in flight is there whole or not at all, per writer.
    for (String[] tried : inFlight.values()) {
      boolean landed = true;
      boolean absent = true;
      for (int i = 2; i + 1 < tried.length; i += 2) {
        String key = tried[i];
        landed &= java.util.Objects.equals(found.get(key), alternative.get(key));
        absent &= java.util.Objects.equals(found.get(key), expected.get(key));
      }
      if (!landed && !absent) {
        StringBuilder keys = new StringBuilder();
        for (int i = 2; i + 1 < tried.length; i += 2) {
          keys.append(String.format(" %s: found %s, acknowledged %s, in flight %s;",
              tried[i], found.get(tried[i]), expected.get(tried[i]), alternative.get(tried[i])));
        }
        String writer = tried[1];
        List<String> recent;
        synchronized (lines) {
          recent = lines.stream().filter(l -> l.startsWith("TRY " + writer + " ") || l.equals("ACK " + writer)).toList();
        }
        dumpLines(lines, context);
        throw new AssertionError(String.format("%s: the commit in flight (%s) is half there:%s writer's last lines %s",
            context, String.join(" ", tried), keys, recent.subList(Math.max(0, recent.size() - 4), recent.size())));
      }
      if (landed) {
        for (int i = 2; i + 1 < tried.length; i += 2) {
          expected.put(tried[i], found.get(tried[i]));
          if (found.get(tried[i]) == null) {
            expected.remove(tried[i]);
          }
        }
      }
    }
    if (!found.equals(expected)) {
      dumpLines(lines, context);
    }
    assertThat(found).as("%s: every key as its last acknowledged commit left it", context).isEqualTo(expected);
    assertThat(keysTouched).as("%s: the writers committed before the kill", context).isNotEmpty();
  }

  /** Applies a TRY line's writes (key, value; -1 deletes) to {@code rows}; answers the keys. */
  private static List<String> applyTo(Map<String, Long> rows, String[] tried) {
    List<String> keys = new ArrayList<>();
    for (int i = 2; i + 1 < tried.length; i += 2) {
      long v = Long.parseLong(tried[i + 1]);
      if (v < 0) {
        rows.remove(tried[i]);
      } else {
        rows.put(tried[i], v);
      }
      keys.add(tried[i]);
    }
    return keys;
  }

  /** The writers' log of a failed check, for the post-mortem. */
  private static void dumpLines(List<String> lines, String context) {
    try {
      Path file = Path.of("target", "redo-kill-" + context.replaceAll("[^a-z0-9]+", "-") + ".log");
      synchronized (lines) {
        java.nio.file.Files.write(file, lines);
      }
      System.err.println("writers' log: " + file.toAbsolutePath());
    } catch (java.io.IOException e) {
      System.err.println("could not keep the writers' log: " + e);
    }
  }

  private Process startChild(int checkpointMillis, int run) throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    return new ProcessBuilder(
            java.toString(), "-Xmx128m", "-Dkiln.redo.checkpoint-ms=" + checkpointMillis,
            "-cp", System.getProperty("java.class.path"), Child.class.getName(), dataDir.toString(),
            Integer.toString(run))
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
  }

  private static Future<?> readLines(Process child, List<String> lines) {
    return CompletableFuture.runAsync(
        () -> {
          try (BufferedReader in =
              new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
              synchronized (lines) {
                lines.add(line);
                lines.notifyAll();
              }
            }
          } catch (java.io.IOException e) {
            // the kill closed the pipe
          }
        });
  }

  private static void awaitLine(List<String> lines, String wanted, Process child) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    synchronized (lines) {
      while (!lines.contains(wanted)) {
        if (!child.isAlive() || System.nanoTime() > deadline) {
          throw new AssertionError("the writer process did not start (seed " + SEED + "): " + lines);
        }
        lines.wait(100);
      }
    }
  }

  /**
   * The writer process: each writer thread owns its keys and commits, one after another, an
   * upsert of two of them or a delete of one, printing TRY before and ACK after each commit.
   */
  static final class Child {
    public static void main(String[] args) throws Exception {
      Database db = Database.embedded(Path.of(args[0]));
      PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, StandardCharsets.UTF_8);
      Object print = new Object();
      out.println("READY");
      out.flush();
      List<Thread> writers = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        int writer = w;
        // Values unique across runs too: a run's value never passes for another run's.
        long first = ((long) Integer.parseInt(args[1]) << 48) | ((long) writer << 40);
        writers.add(Thread.ofPlatform().start(() -> write(db, writer, first, out, print)));
      }
      for (Thread t : writers) {
        t.join();
      }
    }

    private static void write(Database db, int writer, long first, PrintStream out, Object print) {
      ThreadLocalRandom r = ThreadLocalRandom.current();
      long next = first;
      while (true) {
        String a = "w" + writer + "-" + r.nextInt(KEYS_PER_WRITER);
        String b = "w" + writer + "-" + r.nextInt(KEYS_PER_WRITER);
        boolean delete = r.nextInt(5) == 0 || a.equals(b);
        long v = ++next;
        synchronized (print) {
          out.println(delete ? "TRY " + writer + " " + a + " -1" : "TRY " + writer + " " + a + " " + v + " " + b + " " + v);
          out.flush();
        }
        if (delete) {
          db.sql().update("DELETE FROM kill_probe WHERE k = ?", a);
        } else {
          String pad = "p".repeat(r.nextInt(300));
          db.inTransaction(
              sql -> {
                for (String key : List.of(a, b)) {
                  if (sql.update("UPDATE kill_probe SET v = ?, pad = ? WHERE k = ?", v, pad, key) == 0) {
                    sql.update("INSERT INTO kill_probe (k, v, pad) VALUES (?, ?, ?)", key, v, pad);
                  }
                }
                return null;
              });
        }
        synchronized (print) {
          out.println("ACK " + writer);
          out.flush();
        }
      }
    }
  }
}
