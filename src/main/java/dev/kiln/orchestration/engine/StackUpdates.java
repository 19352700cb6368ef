package dev.kiln.orchestration.engine;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;
import dev.kiln.orchestration.StackAction;
import dev.kiln.orchestration.StackStatus;
import dev.kiln.orchestration.StackUpdate;
import dev.kiln.orchestration.StackUpdatePreview;
import dev.kiln.orchestration.store.EventRow;
import dev.kiln.orchestration.store.EventStore;
import dev.kiln.orchestration.store.JsonColumns;
import dev.kiln.orchestration.store.ResourceRow;
import dev.kiln.orchestration.store.ResourceStore;
import dev.kiln.orchestration.store.StackRow;
import dev.kiln.orchestration.store.StackStore;
import dev.kiln.orchestration.store.TemplateRow;
import dev.kiln.orchestration.store.TemplateStore;
import dev.kiln.orchestration.template.BoundStack;
import dev.kiln.orchestration.template.ParameterDefinition;
import dev.kiln.orchestration.template.ParsedStack;
import dev.kiln.orchestration.template.PseudoParameters;
import dev.kiln.orchestration.template.ResourceDefinition;
import dev.kiln.orchestration.template.TemplateSource;
import dev.kiln.tasks.TaskRunner;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The operations that change a stack's template: update ({@code PUT}, {@code PATCH}), its preview,
 * and cancelling an update. Each checks what it can at once (Heat's 400s and 409s); an update then
 * records the new template, points the stack at it and queues the task that carries it out, in one
 * transaction.
 */
final class StackUpdates {
  static final String STARTED = "Stack UPDATE started";
  private static final int TASK_ATTEMPTS = 20;

  private final StackRunner runner;
  private final TaskRunner tasks;
  private final Stacks stacks;
  private final Rollbacks rollbacks;
  private final Operations operations;

  StackUpdates(StackRunner runner, TaskRunner tasks, Operations operations) {
    this.runner = requireNonNull(runner, "runner is null");
    this.tasks = requireNonNull(tasks, "tasks is null");
    this.operations = requireNonNull(operations, "operations is null");
    this.stacks = new Stacks(runner.engine().db());
    this.rollbacks = new Rollbacks(runner);
  }

  private Engine engine() {
    return runner.engine();
  }

  /** A checked update, not stored yet. */
  private record Prepared(
      StackRow current, TemplateRow previous, TemplateRow template, ParsedStack parsed, BoundStack bound,
      StackRow next) {}

  void update(Actor actor, String stackId, StackUpdate request) {
    StackRow stack = stacks.live(actor, stackId);
    Prepared p = prepare(actor, stack, request);
    Engine e = engine();
    // Rows for the resources the update adds, made with the stack lock (INIT_COMPLETE, as a create's).
    Set<String> current = new java.util.HashSet<>(new ResourceStore(e.db().sql()).currentNames(stack.id()));
    LiveStack shape = LiveStack.of(p.next(), List.of(), p.bound(), e.types());
    List<ResourceDefinition> adding =
        p.bound().resources().stream().filter(d -> !current.contains(d.name())).toList();
    Map<String, Integer> generations =
        adding.isEmpty() ? Map.of() : new ResourceStore(e.db().sql()).maxGenerations(stack.id());
    List<ResourceRow> added = new ArrayList<>();
    for (ResourceDefinition definition : adding) {
      added.add(runner.newRow(p.next(), definition, generations.getOrDefault(definition.name(), -1) + 1, null,
          StackRunner.requires(definition, shape)));
    }
    boolean begun =
        e.db().inTransaction(
            sql -> {
              TemplateStore templates = new TemplateStore(sql);
              if (!p.previous().id().equals(stack.templateId())) {
                templates.insert(p.previous());
              }
              templates.insert(p.template());
              if (!new StackStore(sql).beginUpdate(p.next())) {
                return false;
              }
              new ResourceStore(sql).insertAll(added);
              new EventStore(sql).insertAll(
                  List.of(runner.stackEvent(p.next(), StackAction.UPDATE, StackStatus.IN_PROGRESS, STARTED,
                      p.next().operationStartedAt())));
              tasks.submit(sql, OperationTask.KIND, OperationTask.payload(stack.id(), p.next().traversal()),
                  p.next().operationStartedAt(), TASK_ATTEMPTS);
              return true;
            });
    if (!begun) {
      StackRow now = new StackStore(e.db().sql()).find(stack.id()).orElse(stack);
      if (now.deleted()) {
        throw Stacks.notFound(stackId);
      }
      throw Stacks.inProgress(now);
    }
    e.parsed().remember(stack.id(), p.template().id(), p.parsed(), p.bound());
    tasks.wake();
  }

  StackUpdatePreview preview(Actor actor, String stackId, StackUpdate request, boolean showNested) {
    StackRow stack = stacks.live(actor, stackId);
    Prepared p = prepare(actor, stack, request);
    Engine e = engine();
    ResourceStore resources = new ResourceStore(e.db().sql());
    LiveStack live = LiveStack.of(stack, resources.current(stack.id()), p.bound(), e.types());
    UpdatePlan plan =
        new UpdatePlanner(runner, live, resources.leftovers(stack.id()),
            StackRunner.restrictedActions(p.parsed().environment(), live)).plan();
    for (UpdatePlan.Decision d : plan.resources().values()) {
      if (d.refusal() != null) {
        throw d.refusal();
      }
    }
    TemplateRow t = p.template();
    TemplateSource source = new TemplateSource(t.template(), null, t.files(), t.environment(), t.environmentFiles());
    return new UpdatePreviews(runner, actor, showNested).of(live, plan, source);
  }

  /** Heat's checks and the new template bound; nothing stored. */
  private Prepared prepare(Actor actor, StackRow stack, StackUpdate request) {
    if (stack.inProgress()) {
      throw Stacks.inProgress(stack);
    }
    if (stack.parentId() != null) {
      throw ServiceException.invalid("NotSupported", "Updating a nested stack on its own is not supported.");
    }
    if (stack.action() == StackAction.SUSPEND) {
      throw ServiceException.invalid("NotSupported", "Updating a stack when it is suspended is not supported.");
    }
    if (stack.action() == StackAction.DELETE) {
      throw ServiceException.invalid("NotSupported", "Updating a stack when it is deleting is not supported.");
    }
    if (request.timeoutMins() != null && request.timeoutMins() <= 0) {
      throw ServiceException.invalid("InvalidParameterValue", "Invalid timeout value " + request.timeoutMins());
    }
    Engine e = engine();
    TemplateRow currentRow = new TemplateStore(e.db().sql()).find(stack.templateId()).orElseThrow();
    TemplateSource source = request.existing() ? patched(currentRow, request.template()) : request.template();
    ParsedStack parsed = e.templates().parse(source, e.types());
    dev.kiln.orchestration.ResourceTypePolicy.enforceTemplate(actor, parsed.templateJson());
    Map<String, JsonNode> parameters = new LinkedHashMap<>();
    if (request.existing()) {
      stack.parameters().fields().forEachRemaining(f -> parameters.put(f.getKey(), f.getValue()));
      request.clearParameters().forEach(parameters::remove);
      parameters.putAll(request.parameters());
      Set<String> known = new java.util.HashSet<>();
      parsed.parameters().forEach(d -> known.add(d.name()));
      parameters.keySet().retainAll(known); // as Heat drops what the template no longer takes
    } else {
      parameters.putAll(request.parameters());
    }
    BoundStack bound =
        parsed.bind(
            parameters, new PseudoParameters(stack.name(), stack.id(), stack.projectId()),
            e.checkers().forOwner(Engine.owner(stack)));
    e.types().validate(bound);
    new NestedStackValidation(e).check(bound, source);
    checkImmutable(stack, parsed, bound);
    Instant now = e.now();
    ObjectNode params = JsonColumns.object();
    parameters.forEach(params::set);
    // The template before must carry its parameters, for a rollback to bind it again.
    TemplateRow previous =
        currentRow.parameters() != null
            ? currentRow
            : new TemplateRow(e.ids().uuid(), currentRow.template(), currentRow.files(), currentRow.environment(),
                currentRow.environmentFiles(), stack.parameters(), now);
    TemplateRow template =
        new TemplateRow(e.ids().uuid(), parsed.templateJson(), parsed.files(), source.environment(),
            source.environmentFiles(), params, now);
    StackRow next =
        stack.retargeted(
            StackAction.UPDATE, STARTED, e.ids().uuid(), now, template.id(), previous.id(),
            parsed.description() == null ? "" : parsed.description(), params, NewStack.shownParameters(parsed, bound),
            request.timeoutMins() != null ? request.timeoutMins() : request.existing() ? stack.timeoutMins() : null,
            request.disableRollback() != null ? request.disableRollback() : stack.disableRollback(),
            request.tags() != null ? request.tags() : stack.tags());
    return new Prepared(stack, previous, template, parsed, bound, next);
  }

  /**
   * A PATCH's template: the one given, or the stack's; the stack's files with the given ones over
   * them; the given environment, or the stack's when none is given.
   */
  private static TemplateSource patched(TemplateRow current, TemplateSource given) {
    Map<String, String> files = new LinkedHashMap<>(current.files());
    boolean newEnvironment = false;
    if (given != null) {
      files.putAll(given.files());
      newEnvironment = given.environment() != null || !given.environmentFiles().isEmpty();
    }
    // An empty template object (no version: never a template) stands for "the stack's template".
    boolean keep = given == null || (given.template() != null && given.template().isEmpty());
    JsonNode template = keep ? current.template() : given.template();
    String text = keep ? null : given.templateText();
    if (!newEnvironment) {
      return new TemplateSource(template, text, files, current.environment(), current.environmentFiles());
    }
    // Heat loads the new environment over the stack's: what it does not name is kept.
    List<String> environmentFiles = new ArrayList<>(current.environmentFiles());
    environmentFiles.addAll(given.environmentFiles());
    return new TemplateSource(
        template, text, files, mergedEnvironment(current.environment(), given.environment()), environmentFiles);
  }

  /**
   * The stack's environment with a PATCH's over it, section by section as Heat's {@code
   * Environment.load} does: parameters and parameter defaults by name, the resource registry
   * entry by entry (a resource's entry merged in turn), event sinks appended.
   */
  static JsonNode mergedEnvironment(JsonNode old, JsonNode incoming) {
    if (incoming == null || incoming.isNull()) {
      return old;
    }
    if (old == null || old.isNull() || !old.isObject() || !incoming.isObject()) {
      return incoming; // a YAML text environment is taken as given
    }
    ObjectNode merged = ((ObjectNode) old).deepCopy();
    incoming.fields().forEachRemaining(section -> {
      JsonNode before = merged.get(section.getKey());
      JsonNode now = section.getValue();
      if (before instanceof com.fasterxml.jackson.databind.node.ArrayNode list && now.isArray()) {
        list.addAll((com.fasterxml.jackson.databind.node.ArrayNode) now.deepCopy());
      } else if (before instanceof ObjectNode map && now.isObject()) {
        mergeInto(map, now, section.getKey().equals("resource_registry"));
      } else {
        merged.set(section.getKey(), now.deepCopy());
      }
    });
    return merged;
  }

  private static void mergeInto(ObjectNode target, JsonNode incoming, boolean deep) {
    incoming.fields().forEachRemaining(e -> {
      JsonNode before = target.get(e.getKey());
      if (deep && before instanceof ObjectNode map && e.getValue().isObject()) {
        mergeInto(map, e.getValue(), true);
      } else {
        target.set(e.getKey(), e.getValue().deepCopy());
      }
    });
  }

  /** Heat's {@code ImmutableParameterModified}: an immutable parameter the stack had, changed. */
  private void checkImmutable(StackRow stack, ParsedStack parsed, BoundStack bound) {
    BoundStack before = engine().parsed().bound(stack, ConstraintCheckers.NONE);
    Set<String> modified = new TreeSet<>();
    for (ParameterDefinition p : parsed.parameters()) {
      if (p.immutable() && before.parameterValues().containsKey(p.name())
          && !before.parameterValues().get(p.name()).equals(bound.parameterValues().get(p.name()))) {
        modified.add(p.name());
      }
    }
    if (!modified.isEmpty()) {
      throw ServiceException.invalid(
          "ImmutableParameterModified",
          "The following parameters are immutable and may not be updated: " + String.join(", ", modified));
    }
  }

  /**
   * Stops an update in progress by taking the stack over with a new operation: its task is
   * superseded (it writes nothing more, and this node interrupts it at once), the resources it
   * left in progress are marked failed, and, with {@code rollback}, a rollback task starts.
   */
  void cancel(Actor actor, String stackId, boolean rollback) {
    StackRow stack = stacks.live(actor, stackId);
    Set<StackAction> allowed = rollback ? Set.of(StackAction.UPDATE) : Set.of(StackAction.UPDATE, StackAction.CREATE);
    if (!(stack.inProgress() && allowed.contains(stack.action()))) {
      throw ServiceException.invalid(
          "NotSupported", "Cancelling update when stack is " + stack.action() + "_" + stack.status() + " is not supported.");
    }
    Engine e = engine();
    Instant now = e.now();
    String traversal = e.ids().uuid();
    Rollbacks.Target target = rollback ? rollbacks.target(stack, traversal, now) : null;
    String reason = "Stack " + stack.action() + " cancelled";
    boolean taken =
        e.db().inTransaction(
            sql -> {
              StackStore store = new StackStore(sql);
              if (!store.fence(stack.id(), stack.traversal())) {
                return false;
              }
              StackRow current = store.find(stack.id()).orElseThrow();
              if (!current.inProgress() || current.action() != stack.action()) {
                return false;
              }
              List<EventRow> events =
                  new ArrayList<>(runner.abortInProgress(new ResourceStore(sql), stack.id(), stack, now));
              if (target != null) {
                if (target.template() != null) {
                  new TemplateStore(sql).insert(target.template());
                }
                store.retarget(target.stack(), stack.traversal());
                events.add(runner.stackEvent(stack, StackAction.ROLLBACK, StackStatus.IN_PROGRESS, Rollbacks.STARTED, now));
                tasks.submit(sql, OperationTask.KIND, OperationTask.payload(stack.id(), traversal), now, TASK_ATTEMPTS);
              } else {
                StackRow stopped = stack.retargeted(
                    stack.action(), reason, traversal, now, stack.templateId(), stack.previousTemplateId(),
                    stack.description(), stack.parameters(), stack.shownParameters(), stack.timeoutMins(),
                    stack.disableRollback(), stack.tags());
                store.retarget(stopped, stack.traversal());
                store.state(stack.id(), traversal, stack.action(), StackStatus.FAILED, reason, now, false);
                events.add(runner.stackEvent(stack, stack.action(), StackStatus.FAILED, reason, now));
              }
              new EventStore(sql).insertAll(events);
              return true;
            });
    if (!taken) {
      StackRow now2 = new StackStore(e.db().sql()).find(stack.id()).orElse(stack);
      throw ServiceException.invalid(
          "NotSupported", "Cancelling update when stack is " + now2.action() + "_" + now2.status() + " is not supported.");
    }
    operations.stop(stack.id(), stack.traversal());
    if (target != null) {
      tasks.wake();
    }
  }
}
