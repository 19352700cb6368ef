package dev.kiln.orchestration.engine;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.orchestration.StackAction;
import dev.kiln.orchestration.StackStatus;
import dev.kiln.orchestration.engine.graph.Graph;
import dev.kiln.orchestration.engine.graph.WalkResult;
import dev.kiln.orchestration.engine.graph.Walker;
import dev.kiln.orchestration.resources.ResourceType;
import dev.kiln.orchestration.store.EventRow;
import dev.kiln.orchestration.store.JsonColumns;
import dev.kiln.orchestration.store.ResourceRow;
import dev.kiln.orchestration.store.ResourceStore;
import dev.kiln.orchestration.store.SignalStore;
import dev.kiln.orchestration.store.StackRow;
import dev.kiln.orchestration.template.BoundStack;
import dev.kiln.orchestration.template.ResourceDefinition;
import dev.kiln.store.CommitFence;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs one operation over one stack's resources: builds the graph, walks it (forward to create
 * and resume, backward to delete and suspend) and turns each resource's outcome into its row, its
 * events and the stack's outcome, Heat's way. Nested stacks run through here too, on the thread
 * of the parent's resource, with the root's journal.
 *
 * <p>Why over 400 lines: each kind of operation (create, delete, suspend/resume/check, update and
 * rollback) is a short entry that builds its graph and hands it to the one walk, which owns how a
 * step's failure, a timeout and a take-over end the operation; the steps themselves are in
 * {@link ResourceSteps} and {@link UpdateSteps}.
 */
final class StackRunner {
  /** How an operation over a stack ended. */
  record Outcome(StackStatus status, String reason) {}

  /** A resource step failed; {@link #reason} is the resource's status reason. */
  static final class StepFailed extends Exception {
    final String reason;
    final StackAction action;

    StepFailed(String reason, StackAction action) {
      super(reason, null, false, false);
      this.reason = reason;
      this.action = action;
    }
  }

  static final JsonNode EMPTY = JsonColumns.object();

  static final String TIMED_OUT = "Timed out";
  static final String STATE_CHANGED = "state changed";

  private final Engine engine;

  StackRunner(Engine engine) {
    this.engine = requireNonNull(engine, "engine is null");
  }

  Engine engine() {
    return engine;
  }

  /** @param enclosing the interruption of the walk this one runs in (a nested stack's), or null */
  Outcome create(LiveStack live, Journal journal, Instant deadline, Interruption enclosing)
      throws InterruptedException {
    Graph.Builder<String> graph = Graph.builder();
    for (ResourceDefinition definition : live.bound().resources()) {
      graph.vertex(definition.name());
      for (String needed : definition.dependsOn()) {
        if (live.has(needed)) {
          graph.edge(definition.name(), needed);
        }
      }
    }
    Interruption interruption = new Interruption(enclosing);
    ResourceSteps steps = new ResourceSteps(this, live, journal, deadline, interruption);
    return walk(StackAction.CREATE, graph.build().requireAcyclic(), steps::create, journal, deadline, interruption);
  }

  /**
   * Deletes the rows an update left behind (replaced generations whose clean-up an update failure
   * or a disabled rollback skipped), before the stack's own resources go.
   */
  Outcome deleteLeftovers(
      LiveStack live, List<ResourceRow> leftovers, Journal journal, Instant deadline, Interruption enclosing)
      throws InterruptedException {
    if (leftovers.isEmpty()) {
      return new Outcome(StackStatus.COMPLETE, "");
    }
    LiveStack none = LiveStack.of(live.stack(), List.of(), new BoundStack(Map.of(), List.of(), List.of()), engine.types());
    UpdatePlanner planner = new UpdatePlanner(this, none, leftovers, Map.of());
    UpdatePlan plan = planner.plan();
    Interruption interruption = new Interruption(enclosing);
    ResourceSteps steps = new ResourceSteps(this, none, journal, deadline, interruption);
    UpdateSteps update = new UpdateSteps(this, none, plan, planner, journal, deadline, steps);
    return walk(StackAction.DELETE, plan.graph(), update::visit, journal, deadline, interruption);
  }

  /** Deletes every resource, dependants first, from the rows alone (no template needed). */
  Outcome delete(LiveStack live, Journal journal, Instant deadline, Interruption enclosing)
      throws InterruptedException {
    Interruption interruption = new Interruption(enclosing);
    ResourceSteps steps = new ResourceSteps(this, live, journal, deadline, interruption);
    return walk(StackAction.DELETE, rowGraph(live).reversed(), steps::delete, journal, deadline, interruption);
  }

  /** Suspend (dependants first), resume and check (dependencies first) over every resource. */
  Outcome act(LiveStack live, StackAction action, Journal journal, Instant deadline, Interruption enclosing)
      throws InterruptedException {
    Interruption interruption = new Interruption(enclosing);
    ResourceSteps steps = new ResourceSteps(this, live, journal, deadline, interruption);
    Graph<String> graph = rowGraph(live);
    return walk(
        action, action == StackAction.SUSPEND ? graph.reversed() : graph, name -> steps.act(name, action), journal,
        deadline, interruption);
  }

  private static Graph<String> rowGraph(LiveStack live) {
    Graph.Builder<String> graph = Graph.builder();
    for (LiveStack.Slot slot : live.slots()) {
      ResourceRow row = slot.row();
      graph.vertex(row.name());
      for (String needed : row.requires()) {
        if (live.has(needed)) {
          graph.edge(row.name(), needed);
        }
      }
    }
    return graph.build();
  }

  /**
   * Updates the stack's resources to the bound template of {@code live} (an update, or a rollback
   * to the template before): plans, then walks the plan.
   *
   * @param leftovers rows no longer current and not deleted, to clean up
   */
  Outcome update(
      LiveStack live, List<ResourceRow> leftovers, StackAction action, Journal journal, Instant deadline,
      Interruption enclosing)
      throws InterruptedException {
    addMissingRows(live, journal);
    UpdatePlanner planner = new UpdatePlanner(this, live, leftovers, restrictedActions(live));
    UpdatePlan plan;
    try {
      plan = planner.plan();
    } catch (dev.kiln.common.ServiceException refused) {
      return new Outcome(StackStatus.FAILED, refused.getMessage());
    }
    Interruption interruption = new Interruption(enclosing);
    ResourceSteps steps = new ResourceSteps(this, live, journal, deadline, interruption);
    UpdateSteps update = new UpdateSteps(this, live, plan, planner, journal, deadline, steps);
    return walk(action, plan.graph(), update::visit, journal, deadline, interruption);
  }

  /**
   * Rows for the template's resources that have none: an update makes them when it starts, but a
   * rollback may bring back a resource its update had already deleted.
   */
  private void addMissingRows(LiveStack live, Journal journal) {
    List<ResourceRow> made = new ArrayList<>();
    Map<String, Integer> generations = null;
    for (ResourceDefinition definition : live.bound().resources()) {
      if (!live.has(definition.name())) {
        if (generations == null) {
          generations = new ResourceStore(engine.db().sql()).maxGenerations(live.stack().id());
        }
        ResourceRow row = newRow(live.stack(), definition, generations.getOrDefault(definition.name(), -1) + 1, null,
            requires(definition, live));
        live.add(row, engine.types().forImplementation(ResourceTypes.implementationName(definition.implementation())));
        made.add(row);
      }
    }
    if (!made.isEmpty()) {
      journal.newResources(made);
    }
  }

  /** The environment's {@code restricted_actions}, by resource name. */
  Map<String, java.util.Set<String>> restrictedActions(LiveStack live) {
    return restrictedActions(engine.parsed().parsed(live.stack().templateId()).environment(), live);
  }

  /** The {@code restricted_actions} {@code environment} sets on the resources of {@code live}'s template. */
  static Map<String, java.util.Set<String>> restrictedActions(
      dev.kiln.orchestration.template.Environment environment, LiveStack live) {
    com.fasterxml.jackson.databind.JsonNode registry = environment.resourceRegistry();
    Map<String, java.util.Set<String>> out = new java.util.HashMap<>();
    if (registry == null || !registry.path("resources").isObject()) {
      return out;
    }
    for (ResourceDefinition definition : live.bound().resources()) {
      registry.path("resources").fields().forEachRemaining(entry -> {
        if (matches(entry.getKey(), definition.name())) {
          JsonNode actions = entry.getValue().path("restricted_actions");
          java.util.Set<String> set = out.computeIfAbsent(definition.name(), n -> new java.util.HashSet<>());
          if (actions.isTextual()) {
            set.add(actions.textValue());
          } else {
            actions.forEach(a -> set.add(a.asText()));
          }
        }
      });
    }
    return out;
  }

  /** Heat's registry names: exact, or a glob with {@code *} (fnmatch). */
  private static boolean matches(String pattern, String name) {
    if (!pattern.contains("*")) {
      return pattern.equals(name);
    }
    StringBuilder regex = new StringBuilder();
    for (String part : pattern.split("\\*", -1)) {
      if (regex.length() > 0) {
        regex.append(".*");
      }
      regex.append(java.util.regex.Pattern.quote(part));
    }
    return name.matches(regex.toString());
  }

  /** The names of the template's resources a definition needs, sorted: what its row records. */
  static List<String> requires(ResourceDefinition definition, LiveStack live) {
    return definition.dependsOn().stream().filter(n -> live.definition(n) != null).sorted().toList();
  }

  /** A new row for a resource of {@code stack}'s current template, in INIT_COMPLETE. */
  ResourceRow newRow(StackRow stack, ResourceDefinition definition, int generation, String replaces, List<String> requires) {
    return new ResourceRow(
        engine.ids().uuid(), stack.id(), definition.name(), generation, replaces == null, stack.templateId(),
        definition.type(), StackAction.INIT, StackStatus.COMPLETE, "", null, requires, null, initialData(definition),
        null, definition.deletionPolicy().name(), null, null, replaces, null, definition.description(), engine.now(),
        null);
  }

  /**
   * A check looks at every resource even when one fails, as Heat's aggregates its failures (only
   * the dependants of a failed resource are not checked); other operations stop at a failure.
   */
  private static Walker.Options options(StackAction action) {
    Walker.Options defaults = Walker.Options.defaults();
    return action != StackAction.CHECK
        ? defaults
        : new Walker.Options(false, defaults.maxConcurrent(), defaults.timeout(), defaults.cancelGrace());
  }

  private <V> Outcome walk(
      StackAction action, Graph<V> graph, Walker.Visitor<V> visitor, Journal journal, Instant deadline,
      Interruption interruption)
      throws InterruptedException {
    Duration left = Duration.between(engine.clock().instant(), deadline);
    if (left.isNegative()) {
      left = Duration.ZERO;
    }
    // A step starts only while the operation still runs; stopping never interrupts a step's
    // thread outside the waits Interruption runs (see there).
    // Each step runs on a thread of its own: it carries the operation's fence (see OperationFence).
    OperationFence fence = OperationFence.around(journal.rootId(), journal.traversal());
    Walker.Visitor<V> guarded = vertex -> {
      if (interruption.stopped() && !interruption.timedOut()) {
        throw new Interruption.LetGo();
      }
      CommitFence.bind(fence, () -> {
        visitor.visit(vertex);
        return null;
      });
    };
    Runnable stop = () -> {
      if (!interruption.timedOut()) {
        interruption.stop();
      }
    };
    WalkResult<V> result =
        new Walker<>(graph, guarded, options(action).withTimeout(left).withOnTimeout(interruption::timeOut)
                .withStopVisits(stop))
            .walk();
    for (Throwable error : result.failed().values()) {
      if (error instanceof Journal.Superseded superseded) {
        throw superseded;
      }
      if (error instanceof RuntimeException e && !(error instanceof dev.kiln.common.ServiceException)) {
        // A bug or the store failing: let the task retry from the persisted state.
        throw e;
      }
    }
    if (result.timedOut()) {
      return new Outcome(StackStatus.FAILED, TIMED_OUT);
    }
    for (Map.Entry<V, Throwable> failed : result.failed().entrySet()) {
      if (failed.getValue() instanceof StepFailed step) {
        return new Outcome(StackStatus.FAILED, Failures.stackReason(step.action, step.reason));
      }
      String name = failed.getKey() instanceof UpdatePlan.Work w ? w.name() : String.valueOf(failed.getKey());
      return new Outcome(
          StackStatus.FAILED, Failures.stackReason(action, Failures.resourceReason(name, failed.getValue())));
    }
    return new Outcome(StackStatus.COMPLETE, "Stack " + action + " completed successfully");
  }

  /** Records the stack's new state and its event. */
  void stackState(LiveStack live, Journal journal, StackAction action, StackStatus status, String reason) {
    StackRow stack = live.stack();
    Instant now = engine.now();
    boolean deleted = action == StackAction.DELETE && status == StackStatus.COMPLETE;
    journal.stackState(
        stack.id(), stack.traversal(), action, status, reason, now, deleted,
        stackEvent(stack, action, status, reason, now));
    live.stack(stack.withState(action, status, reason, now));
  }

  EventRow stackEvent(StackRow stack, StackAction action, StackStatus status, String reason, Instant now) {
    return new EventRow(
        0, engine.ids().uuid(), stack.id(), stack.rootId(), stack.name(), stack.id(), "OS::Heat::Stack", action,
        status, reason, JsonColumns.object(), now);
  }

  /**
   * Marks every resource a stopped operation left IN_PROGRESS (current rows and leftovers) as
   * FAILED, "aborted (Operation cancelled)", as Heat shows a cancelled step; answers their events,
   * named after {@code eventStack}, for the caller to store with its own.
   */
  List<EventRow> abortInProgress(ResourceStore resources, String stackId, StackRow eventStack, Instant now) {
    List<ResourceRow> rows = new ArrayList<>(resources.current(stackId));
    rows.addAll(resources.leftovers(stackId));
    List<ResourceRow> aborted = new ArrayList<>();
    List<EventRow> events = new ArrayList<>();
    for (ResourceRow row : rows) {
      if (row.status() == StackStatus.IN_PROGRESS) {
        String why = row.action() + " aborted (Operation cancelled)";
        ResourceRow failed = row.withState(row.action(), StackStatus.FAILED, why, now);
        aborted.add(failed);
        events.add(resourceEvent(eventStack, failed, why, null));
      }
    }
    resources.updateAll(aborted);
    return events;
  }

  EventRow resourceEvent(StackRow stack, ResourceRow row, String reason, JsonNode properties) {
    return new EventRow(
        0, engine.ids().uuid(), stack.id(), stack.rootId(), row.name(), row.physicalId(), row.type(), row.action(),
        row.status(), reason, properties == null ? JsonColumns.object() : properties, engine.now());
  }

  /** Moves a resource to a new state, with its event. */
  ResourceRow transition(
      LiveStack live, Journal journal, ResourceRow row, StackAction action, StackStatus status, String reason,
      JsonNode eventProperties) {
    return transition(live, journal, live.slot(row.name()), row, action, status, reason, eventProperties);
  }

  /** As above, for a row held in {@code slot} (a replacement or a replaced row has its own). */
  ResourceRow transition(
      LiveStack live, Journal journal, LiveStack.Slot slot, ResourceRow row, StackAction action, StackStatus status,
      String reason, JsonNode eventProperties) {
    ResourceRow next = row.withState(action, status, reason, engine.now());
    slot.row(next);
    journal.resource(next, resourceEvent(live.stack(), next, reason, eventProperties));
    return next;
  }

  /** An event on a resource without a change of state (a hook reached, a signal). */
  void note(LiveStack live, Journal journal, ResourceRow row, String reason) {
    journal.event(resourceEvent(live.stack(), row, reason, null));
  }

  /**
   * Whether the resource already went past this hook in the stack's current operation (cleared by
   * a signal, durably): a step repeated after a restart must not stop again, but the next update
   * of the same row must, so a clear from an earlier operation does not count.
   */
  boolean hookPassed(StackRow stack, ResourceRow row, String hook) {
    if (row.hook() != null && row.hook().equals(hook)) {
      return false;
    }
    Instant since = stack.operationStartedAt() != null ? stack.operationStartedAt() : Instant.EPOCH;
    for (JsonNode signal : new SignalStore(engine.db().sql()).since(row.id(), since)) {
      if (hook.equals(signal.path("unset_hook").asText(null))) {
        return true;
      }
    }
    return false;
  }

  /** Blocks until the hook on this resource is cleared. */
  void awaitHook(ResourceRow row, Instant deadline, Interruption interruption) throws InterruptedException {
    ResourceStore resources = new ResourceStore(engine.db().sql());
    java.util.List<String> ids = java.util.List.of(row.id());
    while (true) {
      long seen = engine.bus().version(ids);
      if (resources.hook(row.id()).isEmpty()) {
        return;
      }
      if (!interruption.parked(() -> engine.bus().await(ids, seen, deadline, engine.clock()))) {
        throw new InterruptedException("timed out waiting for a hook");
      }
    }
  }

  /** A new resource row's data: its seed, its resolved type, its hooks. */
  ObjectNode initialData(ResourceDefinition definition) {
    ObjectNode data = JsonColumns.object();
    data.put(Step.SEED_KEY, engine.newSeed());
    data.put(ResourceTypes.IMPL_KEY, ResourceTypes.implementationName(definition.implementation()));
    if (!definition.hooks().isEmpty()) {
      var hooks = data.putArray(ResourceSteps.HOOKS_KEY);
      definition.hooks().stream().map(ResourceDefinition.Hook::heatName).sorted().forEach(hooks::add);
    }
    if (definition.externalId() != null) {
      data.put(ResourceSteps.EXTERNAL_ID_KEY, definition.externalId());
    }
    return data;
  }

  ResourceType typeOf(LiveStack live, String name) {
    return live.slot(name).type;
  }
}
