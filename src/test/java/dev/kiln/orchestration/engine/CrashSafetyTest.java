package dev.kiln.orchestration.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.store.Database;
import dev.kiln.testing.ThreadDumps;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills Kiln (a child JVM running the engine and a cloud, with SIGKILL) at random points of stack creates,
 * updates (in place, replacements, additions, removals), rollbacks and deletes, restarts it on the same data directory until every stack has settled, and checks that
 * the resource rows and what exists agree: no stack stuck, nothing made twice or left behind, and
 * every random string that was seen complete is still the same. Cloud stacks (network, subnet,
 * port, volume, server, attachment) are checked against the services' own tables: nothing made
 * twice, nothing left after a delete, nothing stuck in a transient state.
 */
class CrashSafetyTest {
  private static final int KILLS = 5;

  // Kept when the test fails, for the post-mortem.
  @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
  Path dataDir;

  @Test
  void killedMidCreateUpdateRollbackAndDeleteEveryStackSettlesWithNothingMadeTwiceOrLeftBehind() throws Exception {
    Map<String, String> seenValues = new ConcurrentHashMap<>();
    Random random = new Random();
    int created = 0;
    int updated = 0;
    for (int kill = 0; kill < KILLS; kill++) {
      Process child = start("work", Long.toString(random.nextInt(1_000_000)));
      List<String> lines = new ArrayList<>();
      Thread reader = readLines(child, lines, seenValues);
      awaitLine(lines, "CREATE ", 60);
      if (kill == KILLS - 1 && updated == 0) {
        // On a slow machine the earlier kills may all land before any update begins; the last one
        // waits for an update so that every run kills one mid-update.
        awaitLine(lines, "UPDATE ", 60);
      }
      Thread.sleep(200 + random.nextInt(2000));
      child.destroyForcibly(); // SIGKILL: no shutdown hook, no lease given back
      child.waitFor(30, TimeUnit.SECONDS);
      reader.join(5000);
      synchronized (lines) {
        created += (int) lines.stream().filter(l -> l.startsWith("CREATE ")).count();
        updated += (int) lines.stream().filter(l -> l.startsWith("UPDATE ")).count();
      }
    }
    Process settle = start("settle", "0");
    List<String> lines = new ArrayList<>();
    Thread reader = readLines(settle, lines, seenValues);
    if (!settle.waitFor(180, TimeUnit.SECONDS)) {
      throw new AssertionError("the restarted engine did not settle every stack in 180 s; data in " + dataDir
          + "; its threads:\n" + threadDump(settle) + "\nits last lines: " + lastLines(lines, 40));
    }
    reader.join(5000);
    assertThat(lines).contains("SETTLED");
    assertThat(created).as("stacks created before the kills").isGreaterThan(KILLS);
    assertThat(updated).as("updates started before the kills").isPositive();

    try (Database db = Database.embedded(dataDir)) {
      List<StackAudit.Inventory> inventories = new ArrayList<>(List.of(StackAudit.NESTED_STACKS));
      inventories.addAll(StackAudit.cloud(CrashChild.OWNER.projectId()));
      assertThat(StackAudit.problems(db, inventories)).isEmpty();
      // The cloud types did run: servers (the last but one step of a cloud stack) were made.
      assertThat(db.sql().queryOne(
              "SELECT COUNT(*) AS n FROM heat_resource WHERE type = 'OS::Nova::Server' AND action <> 'INIT'",
              row -> row.getInt("n")).orElseThrow())
          .as("server resources that were started").isPositive();
      // A value computed from a random string before a crash agrees with the string after it: the
      // string was not made again differently when its create ran a second time.
      List<String> disagreeing = new ArrayList<>();
      db.sql().query(
          "SELECT s.stack_id AS stack, s.data AS secret, c.properties AS copy, t.data AS slow FROM heat_resource s"
              + " JOIN heat_resource c ON c.stack_id = s.stack_id AND c.name = 'copy'"
              + " JOIN heat_resource t ON t.stack_id = s.stack_id AND t.name = 'slow'"
              + " WHERE s.name = 'secret' AND t.action = 'CREATE' AND t.status = 'COMPLETE'",
          row -> {
            String secret = dev.kiln.orchestration.store.JsonColumns.read(row.getString("secret")).path("value").asText();
            String copy = dev.kiln.orchestration.store.JsonColumns.read(row.getString("copy")).path("value").asText();
            String slow = dev.kiln.orchestration.store.JsonColumns.read(row.getString("slow")).path("value").asText();
            if (secret.isEmpty() || !secret.equals(copy) || !secret.equals(slow)) {
              disagreeing.add(row.getString("stack") + ": " + secret + " / " + copy + " / " + slow);
            }
            return null;
          });
      assertThat(disagreeing).isEmpty();
      for (Map.Entry<String, String> seen : seenValues.entrySet()) {
        String[] key = seen.getKey().split(" ");
        List<String> now =
            db.sql().query(
                "SELECT r.data, r.status, r.action FROM heat_resource r WHERE r.stack_id = ? AND r.name = ?"
                    + " AND r.is_current = TRUE",
                row -> row.getString("action") + " " + row.getString("data"), key[0], key[1]);
        assertThat(now).hasSize(1);
        if (now.getFirst().startsWith("CREATE")) {
          assertThat(now.getFirst()).as("random string of %s", seen.getKey()).contains("\"value\":\"" + seen.getValue() + "\"");
        }
      }
    }
  }

  /** The child's threads, then the child is killed. */
  private static String threadDump(Process child) {
    try {
      return ThreadDumps.of(child.pid());
    } finally {
      child.destroyForcibly();
    }
  }

  private static List<String> lastLines(List<String> lines, int n) {
    synchronized (lines) {
      return new ArrayList<>(lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }
  }

  private Process start(String mode, String seed) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-XX:+UseSerialGC");
    command.add("-Xmx256m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(CrashChild.class.getName());
    command.add(dataDir.toString());
    command.add(mode);
    command.add(seed);
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  private static Thread readLines(Process process, List<String> lines, Map<String, String> values) {
    return Thread.ofVirtual().start(() -> {
      try (BufferedReader in =
          new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          if (line.startsWith("VALUE ")) {
            String[] parts = line.split(" ");
            String previous = values.putIfAbsent(parts[1] + " " + parts[2], parts[3]);
            if (previous != null && !previous.equals(parts[3])) {
              values.put(parts[1] + " " + parts[2], "CHANGED from " + previous + " to " + parts[3]);
            }
          }
          synchronized (lines) {
            lines.add(line);
          }
        }
      } catch (java.io.IOException ignored) {
        // the process was killed
      }
    });
  }

  private static void awaitLine(List<String> lines, String wanted, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      synchronized (lines) {
        if (lines.stream().anyMatch(l -> l.startsWith(wanted))) {
          return;
        }
      }
      Thread.sleep(20);
    }
    synchronized (lines) {
      throw new AssertionError("the child never printed " + wanted + ": " + lines);
    }
  }
}
