package dev.kiln.orchestration.engine;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;
import dev.kiln.orchestration.ResourceTypePolicy;
import dev.kiln.orchestration.Stack;
import dev.kiln.orchestration.StackAction;
import dev.kiln.orchestration.StackPreview;
import dev.kiln.orchestration.StackRequest;
import dev.kiln.orchestration.StackStatus;
import dev.kiln.orchestration.store.EventStore;
import dev.kiln.orchestration.store.ResourceRow;
import dev.kiln.orchestration.store.ResourceStore;
import dev.kiln.orchestration.store.SignalStore;
import dev.kiln.orchestration.store.StackRow;
import dev.kiln.orchestration.store.StackStore;
import dev.kiln.orchestration.store.TemplateRow;
import dev.kiln.orchestration.store.TemplateStore;
import dev.kiln.orchestration.template.BoundStack;
import dev.kiln.orchestration.template.ParsedStack;
import dev.kiln.orchestration.template.PseudoParameters;
import dev.kiln.orchestration.template.TemplateSource;
import dev.kiln.store.StoreException;
import dev.kiln.tasks.TaskRunner;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The operations that change stacks: create (and its preview), delete, suspend / resume / check,
 * signals and mark-unhealthy. Each checks what it can at once (400, 404, 409) and then records
 * the change and the durable task that carries it out in one transaction.
 */
final class StackCommands {
  private static final Pattern STACK_NAME = Pattern.compile("[a-zA-Z][a-zA-Z0-9_.-]{0,254}");
  private static final Set<String> HOOK_NAMES =
      Set.of("pre-create", "pre-update", "pre-delete", "post-create", "post-update", "post-delete");
  private static final int TASK_ATTEMPTS = 20;

  private final StackRunner runner;
  private final TaskRunner tasks;
  private final Stacks stacks;
  private final Operations operations;

  StackCommands(StackRunner runner, TaskRunner tasks, Operations operations) {
    this.runner = requireNonNull(runner, "runner is null");
    this.tasks = requireNonNull(tasks, "tasks is null");
    this.operations = requireNonNull(operations, "operations is null");
    this.stacks = new Stacks(runner.engine().db());
  }

  private Engine engine() {
    return runner.engine();
  }

  record Prepared(ParsedStack parsed, BoundStack bound, NewStack rows) {}

  /** Parses, binds and lays out a new stack's rows; nothing is stored. */
  Prepared prepare(Actor actor, StackRequest request) {
    if (actor.projectId() == null) {
      throw ServiceException.forbidden("Forbidden", "A project-scoped token is needed to create a stack.");
    }
    if (!STACK_NAME.matcher(request.name()).matches()) {
      throw ServiceException.invalid(
          "StackValidationFailed",
          "Invalid stack name " + request.name() + " must contain only alphanumeric or \"_-.\" characters, must"
              + " start with alpha and must be 255 characters or less.");
    }
    if (request.timeoutMins() != null && request.timeoutMins() <= 0) {
      throw ServiceException.invalid("InvalidParameterValue", "Invalid timeout value " + request.timeoutMins());
    }
    Engine e = engine();
    ParsedStack parsed = e.templates().parse(request.template(), e.types());
    ResourceTypePolicy.enforceTemplate(actor, parsed.templateJson());
    String stackId = e.ids().uuid();
    BoundStack bound =
        parsed.bind(
            request.parameters(),
            new PseudoParameters(request.name(), stackId, actor.projectId()),
            e.checkers().forOwner(actor));
    e.types().validate(bound);
    new NestedStackValidation(e).check(bound, request.template());
    Instant now = e.now();
    TemplateSource source = request.template();
    TemplateRow template =
        new TemplateRow(e.ids().uuid(), parsed.templateJson(), parsed.files(), source.environment(),
            source.environmentFiles(), now);
    NewStack rows =
        NewStack.of(
            runner, stackId, request.name(), actor, template, parsed, bound, request.parameters(),
            request.timeoutMins(), request.disableRollback(), request.tags(), null, e.ids().uuid(), now);
    return new Prepared(parsed, bound, rows);
  }

  Stack create(Actor actor, StackRequest request) {
    Prepared prepared = prepare(actor, request);
    NewStack rows = prepared.rows();
    StackRow stack = rows.stack();
    Engine e = engine();
    try {
      e.db().inTransaction(
          sql -> {
            new TemplateStore(sql).insert(rows.template());
            new StackStore(sql).insert(stack);
            new ResourceStore(sql).insertAll(rows.resources());
            new EventStore(sql)
                .insertAll(
                    List.of(runner.stackEvent(stack, StackAction.CREATE, StackStatus.IN_PROGRESS, NewStack.STARTED,
                        stack.createdAt())));
            return tasks.submit(
                sql, OperationTask.KIND, OperationTask.payload(stack.id(), stack.traversal()), stack.createdAt(),
                TASK_ATTEMPTS);
          });
    } catch (StoreException ex) {
      if (ex.kind() == StoreException.Kind.DUPLICATE) {
        throw ServiceException.conflict("StackExists", "The Stack (" + request.name() + ") already exists.");
      }
      throw ex;
    }
    e.parsed().remember(stack.id(), rows.template().id(), prepared.parsed(), prepared.bound());
    tasks.wake();
    return Views.stack(stack, List.of());
  }

  StackPreview preview(Actor actor, StackRequest request) {
    Prepared prepared = prepare(actor, request);
    NewStack rows = prepared.rows();
    // Nothing is stored by a preview: Heat shows the stack without an id and nothing as made.
    StackRow row = rows.stack().withState(StackAction.INIT, StackStatus.COMPLETE, "", null);
    Stack stack = Views.stack(row, List.of());
    Map<String, JsonNode> parameters = new LinkedHashMap<>(stack.parameters());
    parameters.computeIfPresent("OS::stack_id", (k, v) -> TextNode.valueOf("None"));
    Stack unstored = new Stack(
        null, stack.name(), stack.projectId(), stack.ownerUserId(), stack.action(), stack.status(),
        stack.statusReason(), stack.description(), parameters, stack.outputs(), stack.timeoutMins(),
        stack.disableRollback(), stack.tags(), stack.parentId(), stack.parentResource(), null, null, null);
    return new StackPreview(
        unstored, new CreatePreviews(engine(), actor).items(unstored, prepared.bound(), request.template(), 0));
  }

  /**
   * Deletes a stack. As Heat does, a delete does not wait for an operation in progress: it takes
   * the stack over from it (the old operation's task is fenced off and stopped, its resources in
   * progress are marked aborted) and deletes, in the same transaction that queues its task, so
   * the delete wins after a crash too. A stack already being deleted is left to that delete.
   */
  void delete(Actor actor, String stackId) {
    for (int attempt = 0; ; attempt++) {
      StackRow stack = stacks.live(actor, stackId);
      if (stack.inProgress() && stack.parentId() == null) {
        if (stack.action() == StackAction.DELETE || takeOverForDelete(stack)) {
          return;
        }
      } else {
        try {
          begin(actor, stackId, StackAction.DELETE);
          return;
        } catch (ServiceException conflict) {
          if (conflict.kind() != ServiceException.Kind.CONFLICT || stack.parentId() != null || attempt >= 3) {
            throw conflict;
          }
          // an operation began between the look and the lock: take it over instead
        }
      }
      if (attempt >= 3) {
        throw Stacks.inProgress(stack);
      }
    }
  }

  /** @return false when the stack is no longer running the operation {@code stack} shows */
  private boolean takeOverForDelete(StackRow stack) {
    Engine e = engine();
    String traversal = e.ids().uuid();
    Instant now = e.now();
    String reason = "Stack DELETE started";
    boolean taken =
        e.db().inTransaction(
            sql -> {
              StackStore store = new StackStore(sql);
              if (!store.fence(stack.id(), stack.traversal())) {
                return false;
              }
              StackRow current = store.find(stack.id()).orElseThrow();
              if (!current.inProgress() || current.deleted()) {
                return false;
              }
              List<dev.kiln.orchestration.store.EventRow> events =
                  new ArrayList<>(runner.abortInProgress(new ResourceStore(sql), stack.id(), current, now));
              StackRow deleting = current.retargeted(
                  StackAction.DELETE, reason, traversal, now, current.templateId(), current.previousTemplateId(),
                  current.description(), current.parameters(), current.shownParameters(), current.timeoutMins(),
                  current.disableRollback(), current.tags());
              if (!store.retarget(deleting, current.traversal())) {
                return false;
              }
              events.add(runner.stackEvent(current, StackAction.DELETE, StackStatus.IN_PROGRESS, reason, now));
              new EventStore(sql).insertAll(events);
              tasks.submit(sql, OperationTask.KIND, OperationTask.payload(stack.id(), traversal), now, TASK_ATTEMPTS);
              return true;
            });
    if (taken) {
      operations.stop(stack.id(), stack.traversal());
      tasks.wake();
    }
    return taken;
  }

  void act(Actor actor, String stackId, StackAction action) {
    if (action != StackAction.SUSPEND && action != StackAction.RESUME && action != StackAction.CHECK) {
      throw ServiceException.invalid("InvalidParameterValue", "Invalid action " + action);
    }
    begin(actor, stackId, action);
  }

  /** Takes the stack lock for a new operation and queues its task, in one transaction. */
  private void begin(Actor actor, String nameOrId, StackAction action) {
    StackRow stack = stacks.live(actor, nameOrId);
    if (stack.parentId() != null) {
      StackRow root = new StackStore(engine().db().sql()).find(stack.rootId()).orElse(stack);
      if (root.inProgress()) {
        throw Stacks.inProgress(root);
      }
    }
    Engine e = engine();
    String traversal = e.ids().uuid();
    Instant now = e.now();
    String reason = "Stack " + action + " started";
    boolean begun =
        e.db().inTransaction(
            sql -> {
              if (!new StackStore(sql).begin(stack.id(), action, reason, traversal, now)) {
                return false;
              }
              new EventStore(sql).insertAll(List.of(runner.stackEvent(stack, action, StackStatus.IN_PROGRESS, reason, now)));
              tasks.submit(sql, OperationTask.KIND, OperationTask.payload(stack.id(), traversal), now, TASK_ATTEMPTS);
              return true;
            });
    if (!begun) {
      StackRow now2 = new StackStore(e.db().sql()).find(stack.id()).orElse(stack);
      if (now2.deleted()) {
        throw Stacks.notFound(nameOrId);
      }
      throw Stacks.inProgress(now2);
    }
    tasks.wake();
  }

  void signal(Actor actor, String stackId, String resourceName, JsonNode details) {
    StackRow stack = stacks.live(actor, stackId);
    ResourceRow row = stacks.resource(stack, resourceName);
    String described = "resource \"" + row.name() + "\" of Stack \"" + stack.name() + "\"";
    Engine e = engine();
    if (details != null && details.has("unset_hook")) {
      String hook = details.path("unset_hook").asText();
      if (!HOOK_NAMES.contains(hook)) {
        throw ServiceException.invalid("InvalidBreakPointHook", "Invalid hook type \"" + hook + "\" for " + described);
      }
      boolean cleared =
          e.db().inTransaction(
              sql -> {
                if (!new ResourceStore(sql).clearHook(row.id(), hook)) {
                  return false;
                }
                new SignalStore(sql).append(row.id(), details, e.now());
                new EventStore(sql).insertAll(List.of(runner.resourceEvent(stack, row, "Hook " + hook + " is cleared", null)));
                return true;
              });
      if (!cleared) {
        throw ServiceException.invalid(
            "InvalidBreakPointHook", "The \"" + hook + "\" hook is not defined on " + described);
      }
      e.bus().signal(row.id());
      return;
    }
    LiveStack live = LiveStack.of(stack, List.of(row), null, e.types());
    var type = live.slot(row.name()).type;
    if (!type.signalable()) {
      throw ServiceException.invalid("ResourceActionNotSupported", "signal is not supported for resource.");
    }
    String description;
    try {
      description = type.signal(LiveStack.state(stack, row, e.signals(row.id())), details);
    } catch (ServiceException refused) {
      throw refused;
    } catch (Exception refused) {
      throw ServiceException.invalid("ResourceFailure", Failures.resourceReason(row.name(), refused));
    }
    e.db().inTransaction(
        sql -> {
          new SignalStore(sql).append(row.id(), details == null ? com.fasterxml.jackson.databind.node.NullNode.instance : details, e.now());
          new EventStore(sql).insertAll(List.of(runner.resourceEvent(stack, row, description, null)));
          return null;
        });
    e.bus().signal(row.id());
  }

  void markUnhealthy(Actor actor, String stackId, String resourceName, boolean unhealthy, String reason) {
    StackRow stack = stacks.live(actor, stackId);
    if (stack.inProgress()) {
      throw Stacks.inProgress(stack);
    }
    ResourceRow row = stacks.resource(stack, resourceName);
    if (!unhealthy && !(row.action() == StackAction.CHECK && row.status() == StackStatus.FAILED)) {
      return; // only an unhealthy resource can be marked healthy again
    }
    String why = reason == null || reason.isBlank() ? "state changed by resource_mark_unhealthy api" : reason;
    StackStatus status = unhealthy ? StackStatus.FAILED : StackStatus.COMPLETE;
    Engine e = engine();
    Instant now = e.now();
    e.db().inTransaction(
        sql -> {
          new ResourceStore(sql).check(row.id(), status, why, now);
          new EventStore(sql).insertAll(
              List.of(runner.resourceEvent(stack, row.withState(StackAction.CHECK, status, why, now), why, null)));
          return null;
        });
  }

  ParsedStack validate(Actor actor, TemplateSource template, Map<String, JsonNode> parameters) {
    Engine e = engine();
    ParsedStack parsed = e.templates().parse(template, e.types());
    ResourceTypePolicy.enforceTemplate(actor, parsed.templateJson());
    if (!parameters.isEmpty()) {
      e.types().validate(parsed.bind(parameters, new PseudoParameters("validate", "validate", actor.projectId()),
          e.checkers().forOwner(actor)));
    }
    return parsed;
  }
}
