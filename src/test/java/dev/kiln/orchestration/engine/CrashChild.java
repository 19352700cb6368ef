package dev.kiln.orchestration.engine;

import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.orchestration.OrchestrationService;
import dev.kiln.orchestration.ResourceQuery;
import dev.kiln.orchestration.Stack;
import dev.kiln.orchestration.StackQuery;
import dev.kiln.orchestration.StackResource;
import dev.kiln.orchestration.template.HeatTemplates;
import dev.kiln.store.Database;
import dev.kiln.tasks.TaskRunner;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The process {@link CrashSafetyTest} kills: an engine and a cloud (see {@link CrashCloud}) on an
 * embedded database in a data directory. In {@code work} mode it creates and deletes stacks for ever, printing the random
 * strings it sees complete; in {@code settle} mode it only runs the tasks left over until no stack
 * is in progress, then exits.
 */
public final class CrashChild {
  static final Actor OWNER = new Actor("crash-project", "crash-user", false);

  static final List<String> TEMPLATES =
      List.of(
          HeatBenchTemplates.independent(30),
          """
          heat_template_version: 2018-08-31
          resources:
            secret:
              type: OS::Heat::RandomString
              properties: {length: 16}
            copy:
              type: OS::Heat::Value
              properties: {value: {get_attr: [secret, value]}}
            slow:
              type: OS::Heat::TestResource
              properties:
                value: {get_attr: [copy, value]}
                action_wait_secs: {create: 0.2, delete: 0.2}
          """,
          """
          heat_template_version: 2018-08-31
          resources:
            group:
              type: OS::Heat::ResourceGroup
              properties:
                count: 3
                resource_def:
                  type: OS::Heat::RandomString
                  properties: {length: 8}
            slow:
              type: OS::Heat::TestResource
              depends_on: group
              properties: {action_wait_secs: {create: 0.1, delete: 0.1}}
          """,
          """
          heat_template_version: 2018-08-31
          resources:
            inner:
              type: OS::Heat::Stack
              properties:
                template: |
                  heat_template_version: 2018-08-31
                  resources:
                    deep:
                      type: OS::Heat::RandomString
                    wait:
                      type: OS::Heat::TestResource
                      properties: {action_wait_secs: {create: 0.1, delete: 0.1}}
            chain:
              type: OS::Heat::ResourceChain
              properties:
                resources: [OS::Heat::None, OS::Heat::RandomString, OS::Heat::None]
          """,
          HeatBenchTemplates.chain(40),
          CrashCloud.TEMPLATE,
          updatable("before", false, "gone:\n  type: OS::Heat::TestResource\n"));

  /**
   * The family an updated stack moves between: {@code kept} is updated in place, {@code swapped}
   * replaced, {@code gone} removed and {@code added} added, and {@code broken} fails the update,
   * which then rolls back. The random string never changes, so its value must survive it all.
   */
  static String updatable(String value, boolean replace, String extra) {
    return """
        heat_template_version: 2018-08-31
        resources:
          secret:
            type: OS::Heat::RandomString
            properties: {length: 16}
          kept:
            type: OS::Heat::TestResource
            properties:
              value: {list_join: ['-', [{get_attr: [secret, value]}, %s]]}
              action_wait_secs: {create: 0.1, update: 0.2, delete: 0.1}
          swapped:
            type: OS::Heat::TestResource
            properties:
              value: {get_resource: kept}
              update_replace: %s
              action_wait_secs: {create: 0.2, delete: 0.2}
          %s
        """.formatted(value, replace, extra.replace("\n", "\n  "));
  }

  /** The template an update of a stack of the family moves it to, and whether it may roll back. */
  static String nextOf(int round) {
    return switch (round % 3) {
      case 0 -> updatable("after", true, "added:\n  type: OS::Heat::TestResource\n");
      case 1 -> updatable("again", false,
          "added:\n  type: OS::Heat::TestResource\nbroken:\n  type: OS::Heat::TestResource\n"
              + "  depends_on: [kept, swapped]\n  properties: {fail: true}\n");
      default -> updatable("before", false, "gone:\n  type: OS::Heat::TestResource\n");
    };
  }

  public static void main(String[] args) throws Exception {
    Path dataDir = Path.of(args[0]);
    String mode = args[1];
    Database db = Database.embedded(dataDir);
    TaskRunner tasks = new TaskRunner(db, Clock.systemUTC(), IdGenerator.random(), "crash-" + ProcessHandle.current().pid(),
        EngineHarness.FAST);
    // A real cloud (Compute, Networking, Block Storage, Image) on the same database, as Kiln has it,
    // so that cloud resource types run and are killed mid-way too.
    dev.kiln.orchestration.resources.Cloud cloud = CrashCloud.start(db, dataDir, tasks);
    List<dev.kiln.orchestration.resources.ResourceType> types =
        new ArrayList<>(dev.kiln.orchestration.resources.BuiltinTypes.all());
    types.addAll(dev.kiln.orchestration.resources.CloudTypes.all(cloud));
    OrchestrationService heat =
        Orchestration.create(db, Clock.systemUTC(), IdGenerator.random(), tasks, new HeatTemplates(),
            dev.kiln.orchestration.resources.CloudConstraints.over(cloud), "http://127.0.0.1:5000", List.of(), types);
    tasks.start();
    System.out.println("READY");
    if (mode.equals("settle")) {
      while (anyInProgress(heat)) {
        Thread.sleep(50);
      }
      System.out.println("SETTLED");
      tasks.close();
      db.close();
      System.exit(0);
    }
    Random random = new Random(Long.parseLong(args[2]));
    List<String> mine = new ArrayList<>();
    Map<String, Integer> updatable = new java.util.HashMap<>();
    for (int n = 0; ; n++) {
      // Cloud stacks are picked more often (they are what can be made twice or left behind), but
      // only a few live at once (the project's quotas); at the limit, one of them is deleted instead.
      String template =
          random.nextInt(3) == 0 ? CrashCloud.TEMPLATE : TEMPLATES.get(random.nextInt(TEMPLATES.size()));
      if (template.equals(CrashCloud.TEMPLATE)) {
        List<String> live = CrashCloud.victimsAtLimit(heat);
        if (live != null) {
          if (!live.isEmpty()) {
            String victim = live.get(random.nextInt(live.size()));
            try {
              heat.delete(OWNER, victim);
              System.out.println("DELETE " + victim);
            } catch (RuntimeException busy) {
              // being deleted already
            }
          }
          Thread.sleep(random.nextInt(40));
          continue;
        }
      }
      String name = "crash-" + args[2] + "-" + n + (template.equals(CrashCloud.TEMPLATE) ? CrashCloud.SUFFIX : "");
      Stack stack = heat.create(OWNER, EngineHarness.request(name, template));
      System.out.println("CREATE " + stack.id());
      mine.add(stack.id());
      if (template.equals(TEMPLATES.getLast())) {
        updatable.put(stack.id(), 0);
      }
      // Now and then update a stack of the updatable family, whatever it is doing (409 when busy);
      // every other update fails and rolls back.
      if (random.nextInt(2) == 0 && !updatable.isEmpty()) {
        List<String> ids = new ArrayList<>(updatable.keySet());
        String target = ids.get(random.nextInt(ids.size()));
        int round = updatable.get(target);
        try {
          heat.update(OWNER, target, new dev.kiln.orchestration.StackUpdate(
              dev.kiln.orchestration.template.TemplateSource.ofText(nextOf(round)), Map.of(), false, List.of(),
              null, round % 3 == 1 ? Boolean.FALSE : Boolean.TRUE, null));
          System.out.println("UPDATE " + target);
          updatable.put(target, round + 1); // after a rollback (round 1) the stack is at "after" again
        } catch (RuntimeException busyOrGone) {
          // in progress (409) or deleted (404): another time
        }
      }
      // Now and then delete a stack created earlier, whatever it is doing (a delete takes a busy
      // stack over); a stack of the updatable family only once it was updated, so updates happen.
      List<String> victims = mine.subList(0, Math.max(0, mine.size() - 1)).stream()
          .filter(id -> updatable.getOrDefault(id, 1) > 0).toList();
      if (random.nextInt(3) == 0 && !victims.isEmpty()) {
        String victim = victims.get(random.nextInt(victims.size()));
        mine.remove(victim);
        try {
          heat.delete(OWNER, victim);
          updatable.remove(victim);
          System.out.println("DELETE " + victim);
        } catch (RuntimeException busy) {
          mine.add(victim);
        }
      }
      report(heat);
      Thread.sleep(random.nextInt(40));
    }
  }

  private static boolean anyInProgress(OrchestrationService heat) {
    return heat.list(OWNER, query()).stream().anyMatch(s -> s.stackStatus().endsWith("IN_PROGRESS"));
  }

  static StackQuery query() {
    return new StackQuery(Map.of(), List.of(), List.of(), List.of(), List.of(), List.of(), null, null, null, false,
        true, false, true);
  }

  /** Prints every completed random string: the test checks they never change afterwards. */
  private static void report(OrchestrationService heat) {
    for (Stack s : heat.list(OWNER, query())) {
      if (!s.stackStatus().equals("CREATE_COMPLETE")) {
        continue;
      }
      for (StackResource r : heat.resources(OWNER, s.id(), new ResourceQuery(0, false, Map.of()))) {
        if (r.type().equals("OS::Heat::RandomString") && r.resourceStatus().equals("CREATE_COMPLETE")) {
          String value = heat.resource(OWNER, s.id(), r.name(), true).attributes().path("value").asText();
          System.out.println("VALUE " + s.id() + " " + r.name() + " " + value);
        }
      }
    }
  }
}
