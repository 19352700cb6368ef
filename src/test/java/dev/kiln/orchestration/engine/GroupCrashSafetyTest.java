package dev.kiln.orchestration.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.orchestration.store.JsonColumns;
import dev.kiln.store.Database;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills Kiln (SIGKILL) inside a batch and in the pause between two batches of a resource group's
 * {@code batch_create} and {@code rolling_update} (members are volumes of a real Block Storage,
 * see {@link GroupCrashChild}), restarts it on the same data directory, and checks that the stack
 * ends as if nothing had happened: the operation complete, the group's members exactly {@code
 * count}, each made once and of the definition asked for, no volume without its resource nor the
 * other way round, never more than {@code max_batch_size} members made at once, and never fewer than
 * {@code min_in_service} in service while the rolling update replaced them.
 */
class GroupCrashSafetyTest {
  @TempDir Path dataDir;

  private final Random random = new Random();
  /** Every child started, so that none outlives a test that failed while it ran. */
  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void stopChildren() throws InterruptedException {
    for (Process process : started) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void batchCreateKilledInsideABatchAndBetweenBatchesCompletesWithEveryMemberOnce() throws Exception {
    Child first = start("create");
    // Inside the second batch: member 2 is being made.
    first.awaitThenKill(0, line -> line.equals("EVENT 1 2 CREATE_IN_PROGRESS"), random.nextInt(150));
    Child second = start("settle");
    // Between two batches: a batch's update of the child just ended, the pause has begun.
    second.awaitThenKill(0, line -> line.equals("EVENT 1 * UPDATE_COMPLETE"), 100);
    start("settle").awaitSettled();

    try (Database db = Database.embedded(dataDir)) {
      assertThat(problems(db)).isEmpty();
      assertThat(stackStatus(db)).isEqualTo("CREATE_COMPLETE");
      assertThat(members(db)).as("member name to round").containsOnlyKeys("0", "1", "2", "3", "4")
          .allSatisfy((name, round) -> assertThat(round).isEqualTo("1"));
      assertThat(mostMadeAtOnce(db)).isLessThanOrEqualTo(GroupCrashChild.BATCH);
    }
  }

  @Test
  void rollingUpdateKilledInsideABatchAndBetweenBatchesCompletesKeepingMinInService() throws Exception {
    Child first = start("update");
    // Printed before the update is asked for: every event after it is the update's.
    int updating = first.await(0, line -> line.startsWith("CREATED "));
    // Inside the first batch: a replacement member is being made.
    first.awaitThenKill(updating, line -> line.startsWith("EVENT 1 ") && line.endsWith(" CREATE_IN_PROGRESS"),
        random.nextInt(300));
    Child second = start("settle");
    second.awaitThenKill(0, line -> line.equals("EVENT 1 * UPDATE_COMPLETE"), 100);
    start("settle").awaitSettled();

    try (Database db = Database.embedded(dataDir)) {
      assertThat(problems(db)).isEmpty();
      assertThat(stackStatus(db)).isEqualTo("UPDATE_COMPLETE");
      assertThat(members(db)).as("member name to round").containsOnlyKeys("0", "1", "2", "3", "4")
          .allSatisfy((name, round) -> assertThat(round).isEqualTo("2"));
      assertThat(fewestInServiceDuringTheUpdate(db)).isGreaterThanOrEqualTo(GroupCrashChild.MIN_IN_SERVICE);
    }
  }

  /** What {@link StackAudit} finds, with the volumes of the group's members as the cloud inventory. */
  private static List<String> problems(Database db) {
    return StackAudit.problems(db, List.of(
        StackAudit.NESTED_STACKS,
        StackAudit.cloud("OS::Cinder::Volume", "volume_volume", GroupCrashChild.OWNER.projectId(), null,
            "status <> 'available'")));
  }

  private static String stackStatus(Database db) {
    return db.sql().queryOne(
        "SELECT action, status FROM heat_stack WHERE name = ? AND parent_id IS NULL",
        r -> r.getString("action") + "_" + r.getString("status"), GroupCrashChild.NAME).orElseThrow();
  }

  /** The child stack's current members: name to the round of the definition each was made from. */
  private static TreeMap<String, String> members(Database db) {
    TreeMap<String, String> members = new TreeMap<>();
    db.sql().query(
        "SELECT r.name AS name, r.properties AS p, r.physical_id AS pid FROM heat_resource r"
            + " JOIN heat_stack s ON s.id = r.stack_id WHERE s.parent_id IS NOT NULL AND r.is_current = TRUE",
        r -> {
          JsonNode properties = JsonColumns.read(r.getString("p"));
          String previous = members.put(r.getString("name"), properties.path("scheduler_hints").path("round").asText());
          assertThat(previous).as("member %s is current once", r.getString("name")).isNull();
          return null;
        });
    int volumes = db.sql().queryOne(
        "SELECT COUNT(*) AS n FROM volume_volume WHERE project_id = ?", r -> r.getInt("n"),
        GroupCrashChild.OWNER.projectId()).orElseThrow();
    assertThat(volumes).as("volumes left in the project").isEqualTo(members.size());
    return members;
  }

  /** The member events of the child stack, oldest first: resource name and ACTION_STATUS. */
  private static List<String[]> memberEvents(Database db) {
    return db.sql().query(
        "SELECT e.resource_name AS r, e.action AS a, e.status AS st FROM heat_event e"
            + " JOIN heat_stack s ON s.id = e.stack_id WHERE s.parent_id IS NOT NULL AND e.resource_name <> s.name"
            + " ORDER BY e.seq",
        r -> new String[] {r.getString("r"), r.getString("a") + "_" + r.getString("st")});
  }

  /** The most members whose create was in progress at one moment (a crash's repeat adds no event). */
  private static int mostMadeAtOnce(Database db) {
    Set<String> making = new HashSet<>();
    int most = 0;
    for (String[] e : memberEvents(db)) {
      if (e[1].equals("CREATE_IN_PROGRESS")) {
        making.add(e[0]);
      } else if (e[1].startsWith("CREATE_")) {
        making.remove(e[0]);
      }
      most = Math.max(most, making.size());
    }
    return most;
  }

  /**
   * Members in service (made, and not yet being deleted) at their lowest while the update ran: a
   * replacement's create completing adds one, a delete starting takes one away.
   */
  private static int fewestInServiceDuringTheUpdate(Database db) {
    int inService = 0;
    int fewest = Integer.MAX_VALUE;
    boolean updating = false;
    for (String[] e : memberEvents(db)) {
      if (e[1].equals("CREATE_COMPLETE")) {
        inService++;
      } else if (e[1].equals("DELETE_IN_PROGRESS")) {
        inService--;
        updating = true;
      }
      if (updating) {
        fewest = Math.min(fewest, inService);
      }
    }
    assertThat(updating).as("the update deleted replaced members").isTrue();
    return fewest;
  }

  private Child start(String mode) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-XX:+UseSerialGC");
    command.add("-Xmx256m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(GroupCrashChild.class.getName());
    command.add(dataDir.toString());
    command.add(mode);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    started.add(process);
    return new Child(process);
  }

  /** A running child and the lines it printed. */
  private static final class Child {
    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final Thread reader;

    Child(Process process) {
      this.process = process;
      this.reader = Thread.ofVirtual().start(() -> {
        try (BufferedReader in =
            new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = in.readLine()) != null) {
            synchronized (lines) {
              lines.add(line);
              lines.notifyAll();
            }
          }
        } catch (java.io.IOException ignored) {
          // killed
        }
      });
    }

    /** Waits for a line from index {@code from} on that {@code wanted} accepts; answers its index. */
    int await(int from, Predicate<String> wanted) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      synchronized (lines) {
        while (true) {
          for (int i = from; i < lines.size(); i++) {
            if (wanted.test(lines.get(i))) {
              return i;
            }
          }
          if (lines.contains("SETTLED") || lines.stream().anyMatch(l -> l.matches("EVENT 0 \\* \\w+_FAILED"))
              || !process.isAlive() && !reader.isAlive()) {
            throw new AssertionError("the child ended without the line awaited: " + lines);
          }
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            throw new AssertionError("the child never printed the line awaited: " + lines);
          }
          lines.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(Math.min(left, 200_000_000L))));
        }
      }
    }

    void awaitThenKill(int from, Predicate<String> wanted, int delayMillis) throws Exception {
      await(from, wanted);
      Thread.sleep(delayMillis);
      process.destroyForcibly(); // SIGKILL: no shutdown hook, no lease given back
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      reader.join(5000);
    }

    void awaitSettled() throws Exception {
      assertThat(process.waitFor(180, TimeUnit.SECONDS)).as("the restarted engine settles the stack").isTrue();
      reader.join(5000);
      synchronized (lines) {
        assertThat(lines).as("what the last child printed").contains("SETTLED");
      }
    }
  }
}
