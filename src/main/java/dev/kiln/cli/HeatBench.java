package dev.kiln.cli;

import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.orchestration.OrchestrationService;
import dev.kiln.orchestration.Stack;
import dev.kiln.orchestration.StackQuery;
import dev.kiln.orchestration.EventQuery;
import dev.kiln.orchestration.StackRequest;
import dev.kiln.orchestration.StackUpdate;
import dev.kiln.orchestration.engine.ConstraintCheckers;
import dev.kiln.orchestration.engine.Orchestration;
import dev.kiln.orchestration.template.HeatTemplates;
import dev.kiln.orchestration.template.TemplateSource;
import dev.kiln.store.Database;
import dev.kiln.tasks.TaskRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code kiln bench heat} measures: stack creates and deletes of OS::Heat::None resources
 * (independent, and chained with depends_on) from the call to the final status, and the stack
 * list at 1,000 stacks. It drives the engine in-process on an embedded database in a new data
 * directory (the same store, tasks and commits a server uses, without HTTP), and prints medians.
 */
final class HeatBench {
  private static final Actor OWNER = new Actor("bench-project", "bench-user", false);
  private static final int RUNS = 5;

  private final OrchestrationService heat;
  private int stacks;

  HeatBench(OrchestrationService heat) {
    this.heat = heat;
  }

  static String runInNewDataDir() throws Exception {
    Path dir = Files.createTempDirectory("kiln-bench-heat");
    Database db = Database.embedded(dir);
    TaskRunner tasks = new TaskRunner(db, Clock.systemUTC(), IdGenerator.random(), "bench");
    try {
      OrchestrationService heat =
          Orchestration.create(db, Clock.systemUTC(), IdGenerator.random(), tasks, new HeatTemplates(),
              ConstraintCheckers.NONE, "http://127.0.0.1:5000");
      tasks.start();
      return new HeatBench(heat).run();
    } finally {
      tasks.close();
      db.close();
      BenchCommand.delete(dir);
    }
  }

  String run() throws Exception {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 20; i++) { // untimed: let the JIT see the engine first
      cycle(independent(100));
      cycle(chain(100));
    }
    out.append(String.format(Locale.ROOT,
        "(in-process, embedded H2 in a new data directory; median of %d runs after 40 untimed ones; the"
            + " update after 10)%n%n"
            + "| measure | create | delete | target |%n|---|---|---|---|%n", RUNS));
    row(out, "100 independent OS::Heat::None", independent(100), "< 100 ms each");
    row(out, "1,000 independent OS::Heat::None", independent(1000), "< 1 s each");
    row(out, "100-long depends_on chain", chain(100), "< 200 ms each");
    row(out, "500-long depends_on chain", chain(500), "< 1 s each");
    updateOneOf(out, 1000);
    String one = independent(1);
    while (stacks < 1000) {
      Stack s = heat.create(OWNER, request(one));
      await(s.id());
    }
    StackQuery all = new StackQuery(Map.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
        null, null, null, false, false, false, false);
    for (int i = 0; i < 300; i++) { // untimed, as the creates are: the list's code is cold until now
      heat.list(OWNER, all);
    }
    long[] lists = new long[50];
    int listed = 0;
    for (int i = 0; i < lists.length; i++) {
      long t = System.nanoTime();
      listed = heat.list(OWNER, all).size();
      lists[i] = System.nanoTime() - t;
    }
    out.append(String.format(Locale.ROOT, "| list of %,d stacks (service call, no HTTP; median of 50 after 300 untimed) | %.2f ms | | < 5 ms |%n",
        listed, median(lists) / 1e6));
    return out.toString();
  }

  private void row(StringBuilder out, String what, String template, String target) throws Exception {
    long[] creates = new long[RUNS];
    long[] deletes = new long[RUNS];
    for (int i = 0; i < RUNS; i++) {
      long[] both = cycle(template);
      creates[i] = both[0];
      deletes[i] = both[1];
    }
    out.append(String.format(Locale.ROOT, "| %s | %.0f ms | %.0f ms | %s |%n", what, median(creates) / 1e6,
        median(deletes) / 1e6, target));
  }

  /**
   * An update that changes one property of one resource of an {@code n}-resource stack: timed from
   * the call to UPDATE_COMPLETE, and checked to touch that resource only (its two events and the
   * stack's two are all the update writes).
   */
  private void updateOneOf(StringBuilder out, int n) throws Exception {
    Stack s = heat.create(OWNER, request(testResources(n, "first")));
    if (!await(s.id()).equals("CREATE_COMPLETE")) {
      throw new IllegalStateException("bench stack did not create");
    }
    long[] times = new long[RUNS];
    for (int i = -10; i < RUNS; i++) {
      int eventsBefore = events(s.id());
      String next = testResources(n, (i & 1) == 0 ? "second" : "first");
      long t = System.nanoTime();
      heat.update(OWNER, s.id(), new StackUpdate(TemplateSource.ofText(next), Map.of(), false, List.of(), null, null,
          null));
      String status = await(s.id());
      long took = System.nanoTime() - t;
      if (!status.equals("UPDATE_COMPLETE")) {
        throw new IllegalStateException("bench update ended " + status);
      }
      int written = events(s.id()) - eventsBefore;
      if (written != 4) {
        throw new IllegalStateException("the update wrote " + written + " events, not the 4 of one resource");
      }
      if (i >= 0) {
        times[i] = took;
      }
    }
    out.append(String.format(Locale.ROOT,
        "| update of one property of one resource of %,d (only it touched) | %.0f ms | | < 100 ms |%n", n,
        median(times) / 1e6));
    heat.delete(OWNER, s.id());
    await(s.id());
    stacks--;
  }

  private int events(String stackId) {
    return heat.events(OWNER, stackId, new EventQuery(null, Map.of(), List.of(), null, null, null, 0)).size();
  }

  /** {@code n} OS::Heat::TestResource; the first one's value is {@code first}. */
  static String testResources(int n, String first) {
    StringBuilder t = new StringBuilder("heat_template_version: 2018-08-31\nresources:\n");
    for (int i = 0; i < n; i++) {
      t.append("  r").append(i).append(":\n    type: OS::Heat::TestResource\n    properties: {value: ")
          .append(i == 0 ? first : "v" + i).append("}\n");
    }
    return t.toString();
  }

  /** Creates and deletes one stack; the nanoseconds each took, call to final status. */
  private long[] cycle(String template) throws Exception {
    long t = System.nanoTime();
    Stack created = heat.create(OWNER, request(template));
    String status = await(created.id());
    long create = System.nanoTime() - t;
    if (!status.equals("CREATE_COMPLETE")) {
      throw new IllegalStateException("bench stack ended " + status);
    }
    t = System.nanoTime();
    heat.delete(OWNER, created.id());
    status = await(created.id());
    long delete = System.nanoTime() - t;
    if (!status.equals("DELETE_COMPLETE")) {
      throw new IllegalStateException("bench stack ended " + status);
    }
    stacks--;
    return new long[] {create, delete};
  }

  private String await(String id) throws InterruptedException {
    while (true) {
      Stack s = heat.find(OWNER, id);
      if (!s.stackStatus().endsWith("IN_PROGRESS")) {
        return s.stackStatus();
      }
      Thread.sleep(1);
    }
  }

  private StackRequest request(String template) {
    stacks++;
    return new StackRequest("bench-" + System.nanoTime(), TemplateSource.ofText(template), Map.of(), null, false,
        List.of());
  }

  static String independent(int n) {
    StringBuilder t = new StringBuilder("heat_template_version: 2018-08-31\nresources:\n");
    for (int i = 0; i < n; i++) {
      t.append("  r").append(i).append(":\n    type: OS::Heat::None\n");
    }
    return t.toString();
  }

  static String chain(int n) {
    StringBuilder t = new StringBuilder("heat_template_version: 2018-08-31\nresources:\n");
    for (int i = 0; i < n; i++) {
      t.append("  r").append(i).append(":\n    type: OS::Heat::None\n");
      if (i > 0) {
        t.append("    depends_on: r").append(i - 1).append('\n');
      }
    }
    return t.toString();
  }

  private static double median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
