package dev.kiln.orchestration.engine;

import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.orchestration.OrchestrationService;
import dev.kiln.orchestration.Stack;
import dev.kiln.orchestration.StackUpdate;
import dev.kiln.orchestration.template.HeatTemplates;
import dev.kiln.orchestration.template.TemplateSource;
import dev.kiln.store.Database;
import dev.kiln.tasks.TaskRunner;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The process {@link GroupCrashSafetyTest} kills: an engine and a cloud on an embedded database,
 * running one stack whose resource group of volumes is made with {@code batch_create} and changed
 * with {@code rolling_update}. It prints every event the moment it is committed ({@code EVENT
 * <depth> <resource or *> <ACTION>_<STATUS>}, {@code *} for a stack's own events), so that the test
 * can kill it inside a batch or in the pause between two.
 *
 * <p>Modes: {@code create} creates the stack; {@code update} creates it, waits for it and updates
 * it to the next round (every member replaced); {@code settle} only runs what is left over. Each
 * prints {@code SETTLED} and exits once no stack is in progress.
 */
public final class GroupCrashChild {
  static final Actor OWNER = new Actor("group-crash-project", "group-crash-user", false);
  static final String NAME = "grouped";
  static final int COUNT = 5;
  static final int BATCH = 2;
  static final int MIN_IN_SERVICE = 3;
  /** Long enough for a kill to land inside one batch of volume creates. */
  static final Duration VOLUME_LATENCY = Duration.ofMillis(400);

  private GroupCrashChild() {}

  /**
   * The stack: a group of {@link #COUNT} volumes made {@link #BATCH} at a time, whose {@code round}
   * scheduler hint (not updatable: a change replaces the volume) marks the definition.
   */
  static String template(int round) {
    return """
        heat_template_version: 2018-08-31
        resources:
          group:
            type: OS::Heat::ResourceGroup
            update_policy:
              batch_create: {max_batch_size: %d, pause_time: 0.6}
              rolling_update: {min_in_service: %d, max_batch_size: %d, pause_time: 0.6}
            properties:
              count: %d
              resource_def:
                type: OS::Cinder::Volume
                properties: {size: 1, name: member-%%index%%, scheduler_hints: {round: "%d"}}
        """.formatted(BATCH, MIN_IN_SERVICE, BATCH, COUNT, round);
  }

  public static void main(String[] args) throws Exception {
    Path dataDir = Path.of(args[0]);
    String mode = args[1];
    Database db = Database.embedded(dataDir);
    TaskRunner tasks = new TaskRunner(db, Clock.systemUTC(), IdGenerator.random(), "group-crash-" + ProcessHandle.current().pid(),
        EngineHarness.FAST);
    dev.kiln.orchestration.resources.Cloud cloud = CrashCloud.start(db, dataDir, tasks, VOLUME_LATENCY);
    List<dev.kiln.orchestration.resources.ResourceType> types =
        new ArrayList<>(dev.kiln.orchestration.resources.BuiltinTypes.all());
    types.addAll(dev.kiln.orchestration.resources.CloudTypes.all(cloud));
    OrchestrationService heat =
        Orchestration.create(db, Clock.systemUTC(), IdGenerator.random(), tasks, new HeatTemplates(),
            dev.kiln.orchestration.resources.CloudConstraints.over(cloud), "http://127.0.0.1:5000", List.of(), types);
    Thread.ofVirtual().start(() -> printEvents(db));
    tasks.start();
    System.out.println("READY");
    if (!mode.equals("settle")) {
      Stack stack = heat.create(OWNER, EngineHarness.request(NAME, template(1)));
      System.out.println("CREATE " + stack.id());
      if (mode.equals("update")) {
        while (heat.find(OWNER, stack.id()).stackStatus().endsWith("IN_PROGRESS")) {
          Thread.sleep(20);
        }
        System.out.println("CREATED " + heat.find(OWNER, stack.id()).stackStatus());
        heat.update(OWNER, stack.id(), new StackUpdate(
            TemplateSource.ofText(template(2)), Map.of(), false, List.of(), null, null, null));
        System.out.println("UPDATE " + stack.id());
      }
    }
    while (heat.list(OWNER, CrashChild.query()).stream().anyMatch(s -> s.stackStatus().endsWith("IN_PROGRESS"))) {
      Thread.sleep(50);
    }
    Thread.sleep(100); // the last events printed
    System.out.println("SETTLED");
    tasks.close();
    db.close();
    System.exit(0);
  }

  /** Prints the events committed since this process started, in their order, as they come. */
  private static void printEvents(Database db) {
    long last = db.sql().queryOne("SELECT COALESCE(MAX(seq), 0) AS n FROM heat_event", r -> r.getLong("n")).orElse(0L);
    while (true) {
      try {
        List<String[]> rows =
            db.sql().query(
                "SELECT e.seq AS seq, e.resource_name AS r, s.name AS s, s.nested_depth AS d, e.action AS a,"
                    + " e.status AS st FROM heat_event e JOIN heat_stack s ON s.id = e.stack_id WHERE e.seq > ?"
                    + " ORDER BY e.seq",
                r -> new String[] {Long.toString(r.getLong("seq")), r.getString("r").equals(r.getString("s")) ? "*"
                    : r.getString("r"), Integer.toString(r.getInt("d")), r.getString("a") + "_" + r.getString("st")},
                last);
        for (String[] row : rows) {
          last = Long.parseLong(row[0]);
          System.out.println("EVENT " + row[2] + " " + row[1] + " " + row[3]);
        }
        Thread.sleep(5);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException closing) {
        return;
      }
    }
  }
}
