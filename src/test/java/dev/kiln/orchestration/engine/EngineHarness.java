package dev.kiln.orchestration.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.orchestration.EventQuery;
import dev.kiln.orchestration.OrchestrationService;
import dev.kiln.orchestration.ResourceQuery;
import dev.kiln.orchestration.Stack;
import dev.kiln.orchestration.StackEvent;
import dev.kiln.orchestration.StackRequest;
import dev.kiln.orchestration.StackResource;
import dev.kiln.orchestration.template.HeatTemplates;
import dev.kiln.orchestration.template.TemplateSource;
import dev.kiln.store.Database;
import dev.kiln.tasks.TaskRunner;
import dev.kiln.tasks.TaskSettings;
import dev.kiln.testing.Await;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * An engine on a database with a task runner, for service-level tests: create stacks from YAML,
 * wait for their status, read their resources and events.
 */
final class EngineHarness implements AutoCloseable {
  static final Actor ALICE = new Actor("project-a", "alice", false);
  static final Actor BOB = new Actor("project-b", "bob", false);
  static final Actor ADMIN = new Actor("project-admin", "admin", true);

  /** Short polls and leases: a crashed runner's task is taken over within a test's patience. */
  static final TaskSettings FAST =
      new TaskSettings(
          Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofMillis(50), Duration.ofMillis(200), 5, 64,
          Duration.ofSeconds(2));

  final Database db;
  final TaskRunner tasks;
  final OrchestrationService heat;

  EngineHarness(Database db, List<StackLifecyclePlugin> plugins) {
    this(db, plugins, true);
  }

  /** @param start whether to start the task runner now (else {@code tasks.start()} later) */
  EngineHarness(Database db, List<StackLifecyclePlugin> plugins, boolean start) {
    this(db, plugins, start, List.of());
  }

  /** @param extraTypes test-only resource types, besides the built-in ones */
  EngineHarness(
      Database db, List<StackLifecyclePlugin> plugins, boolean start,
      List<dev.kiln.orchestration.resources.ResourceType> extraTypes) {
    this.db = db;
    this.tasks = new TaskRunner(db, Clock.systemUTC(), IdGenerator.random(), "test-" + System.nanoTime(), FAST);
    List<dev.kiln.orchestration.resources.ResourceType> types =
        new java.util.ArrayList<>(dev.kiln.orchestration.resources.BuiltinTypes.all());
    types.addAll(extraTypes);
    this.heat =
        Orchestration.create(
            db, Clock.systemUTC(), IdGenerator.random(), tasks, new HeatTemplates(), ConstraintCheckers.NONE,
            "http://127.0.0.1:5000", plugins, types);
    if (start) {
      tasks.start();
    }
  }

  EngineHarness(Database db) {
    this(db, List.of(new ResourceLimitPlugin()));
  }

  static StackRequest request(String name, String yaml) {
    return new StackRequest(name, TemplateSource.ofText(yaml), Map.of(), null, true, List.of());
  }

  static StackRequest request(String name, String yaml, Map<String, JsonNode> parameters, Integer timeout) {
    return new StackRequest(name, TemplateSource.ofText(yaml), parameters, timeout, true, List.of());
  }

  Stack create(Actor actor, String name, String yaml) {
    return heat.create(actor, request(name, yaml));
  }

  Stack awaitStatus(Actor actor, String id, String status) {
    return awaitStatus(actor, id, status, Await.DEFAULT);
  }

  Stack awaitStatus(Actor actor, String id, String status, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Stack stack;
    while (true) {
      stack = heat.find(actor, id);
      if (!stack.stackStatus().endsWith("IN_PROGRESS") || System.nanoTime() > deadline) {
        break;
      }
      Await.pause();
    }
    org.assertj.core.api.Assertions.assertThat(stack.stackStatus())
        .as("stack %s (%s)", stack.name(), stack.statusReason())
        .isEqualTo(status);
    return stack;
  }

  List<StackResource> resources(Actor actor, String id) {
    return heat.resources(actor, id, new ResourceQuery(0, false, Map.of()));
  }

  StackResource resource(Actor actor, String id, String name) {
    return heat.resource(actor, id, name, true);
  }

  List<StackEvent> events(Actor actor, String id) {
    return heat.events(actor, id, new EventQuery(null, Map.of(), List.of(), null, null, null, 0));
  }

  @Override
  public void close() {
    tasks.close();
    db.close();
  }
}
