package dev.kiln.orchestration.engine;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.orchestration.StackAction;
import dev.kiln.orchestration.StackOutput;
import dev.kiln.orchestration.StackStatus;
import dev.kiln.orchestration.resources.NestedStacks;
import dev.kiln.orchestration.resources.ResourceState;
import dev.kiln.orchestration.resources.ShortId;
import dev.kiln.orchestration.store.JsonColumns;
import dev.kiln.orchestration.store.ResourceRow;
import dev.kiln.orchestration.store.ResourceStore;
import dev.kiln.orchestration.store.StackRow;
import dev.kiln.orchestration.store.StackStore;
import dev.kiln.orchestration.store.TemplateRow;
import dev.kiln.orchestration.store.TemplateStore;
import dev.kiln.orchestration.template.BoundStack;
import dev.kiln.orchestration.template.ParsedStack;
import dev.kiln.orchestration.template.PseudoParameters;
import dev.kiln.orchestration.template.TemplateSource;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The child stacks of one resource. A child's operation runs here, on the parent resource's
 * thread, through the root operation's journal; the child is found again after a crash by the
 * parent resource row's id, so a repeated create carries on the child an earlier attempt made.
 *
 * <p>Why over 400 lines: create, update (in place, several times in one operation for a group's
 * batches), delete and the read-only views of a child share the way a child is found again after
 * a crash and fenced by its root's journal; one class keeps that rule in one place.
 */
final class NestedStackRunner implements NestedStacks {
  private final StackRunner runner;
  private final LiveStack parent;
  private final ResourceRow resource;
  private final Journal journal; // null for read-only use (outputs, attributes)
  private final Instant deadline;
  private final Interruption interruption;
  private volatile String childId;
  private volatile java.util.function.Consumer<String> onChild = id -> {};

  /** Read-only use (outputs, attributes): no operation to run in. */
  NestedStackRunner(StackRunner runner, LiveStack parent, ResourceRow resource, Journal journal, Instant deadline) {
    this(runner, parent, resource, journal, deadline, null);
  }

  /** @param interruption the interruption of the parent resource's walk, for the child's walks */
  NestedStackRunner(
      StackRunner runner, LiveStack parent, ResourceRow resource, Journal journal, Instant deadline,
      Interruption interruption) {
    this.runner = requireNonNull(runner, "runner is null");
    this.parent = requireNonNull(parent, "parent is null");
    this.resource = requireNonNull(resource, "resource is null");
    this.journal = journal;
    this.deadline = requireNonNull(deadline, "deadline is null");
    this.interruption = interruption;
  }

  /**
   * Called with the child's id as soon as it is made or found, before it is created: Heat records a
   * nested stack's id on its parent resource at once, so that clients (hook clearing, {@code
   * nested} links) reach the child while it is still being created.
   */
  NestedStackRunner onChild(java.util.function.Consumer<String> onChild) {
    this.onChild = requireNonNull(onChild, "onChild is null");
    return this;
  }

  /** The child this runner made or found, or null. */
  String childId() {
    return childId;
  }

  private Engine engine() {
    return runner.engine();
  }

  private Journal journal() {
    if (journal == null) {
      throw new IllegalStateException("nested stacks cannot change outside an operation");
    }
    return journal;
  }

  @Override
  public String create(TemplateSource template, Map<String, JsonNode> parameters, Integer timeoutMins)
      throws Exception {
    Engine e = engine();
    StackRow parentStack = parent.stack();
    Instant childDeadline = deadline;
    if (timeoutMins != null) {
      Instant own = e.clock().instant().plusSeconds(60L * timeoutMins);
      childDeadline = own.isBefore(deadline) ? own : deadline;
    }
    Optional<StackRow> existing = new StackStore(e.db().sql()).findByParentResource(resource.id());
    LiveStack live;
    if (existing.isEmpty()) {
      ParsedStack parsed = e.templates().parse(template, e.types());
      // A nested stack is the owner's stack too: Heat checks its types when it is made.
      dev.kiln.orchestration.ResourceTypePolicy.enforceTemplate(Engine.owner(parentStack), parsed.templateJson());
      String id = e.ids().uuid();
      String name = parentStack.name() + "-" + resource.name() + "-" + ShortId.of(id);
      BoundStack bound =
          parsed.bind(
              parameters,
              new PseudoParameters(name, id, parentStack.projectId()),
              e.checkers().forOwner(Engine.owner(parentStack)));
      Instant now = e.now();
      TemplateRow templateRow =
          new TemplateRow(
              e.ids().uuid(), parsed.templateJson(), parsed.files(), template.environment(),
              template.environmentFiles(), now);
      NewStack made =
          NewStack.of(
              runner, id, name, Engine.owner(parentStack), templateRow, parsed, bound, parameters, timeoutMins,
              parentStack.disableRollback(), java.util.List.of(),
              new NewStack.Parent(
                  parentStack.id(), resource.name(), resource.id(), parentStack.rootId(),
                  parentStack.nestedDepth() + 1),
              journal().traversal(), now);
      journal().template(templateRow);
      journal().newStack(made.stack());
      journal().newResources(made.resources());
      journal().event(
          runner.stackEvent(made.stack(), StackAction.CREATE, StackStatus.IN_PROGRESS, NewStack.STARTED, now));
      e.parsed().remember(id, templateRow.id(), parsed, bound);
      childId = id;
      onChild.accept(id);
      live = LiveStack.of(made.stack(), made.resources(), bound, e.types());
    } else {
      StackRow child = existing.get();
      childId = child.id();
      onChild.accept(childId);
      if (child.action() == StackAction.CREATE && child.status() == StackStatus.COMPLETE) {
        return child.id();
      }
      if (child.action() == StackAction.UPDATE && child.traversal().equals(journal().traversal())) {
        // A group's batch_create made the child empty and grew it by updates, in this very
        // operation, before a crash: the caller carries those updates on (see update below).
        return child.id();
      }
      if (child.action() != StackAction.CREATE || child.status() != StackStatus.IN_PROGRESS) {
        throw new NestedStackFailed(child.statusReason());
      }
      BoundStack bound = e.parsed().bound(child, e.checkers());
      live = LiveStack.of(child, new ResourceStore(e.db().sql()).current(child.id()), bound, e.types());
    }
    StackRunner.Outcome outcome = runner.create(live, journal(), childDeadline, interruption);
    runner.stackState(live, journal(), StackAction.CREATE, outcome.status(), outcome.reason());
    if (outcome.status() != StackStatus.COMPLETE) {
      throw new NestedStackFailed(outcome.reason());
    }
    return childId;
  }

  @Override
  public void update(String knownId, TemplateSource template, Map<String, JsonNode> parameters, Integer timeoutMins)
      throws Exception {
    Engine e = engine();
    String id = findChild(knownId);
    StackRow child = id == null ? null : new StackStore(e.db().sql()).find(id).filter(s -> !s.deleted()).orElse(null);
    if (child == null && id != null) {
      journal().sync(); // made by this very operation (a group's batched create), not committed yet
      child = new StackStore(e.db().sql()).find(id).filter(s -> !s.deleted()).orElse(null);
    }
    if (child == null) {
      throw new NestedStackFailed("The nested stack of " + resource.name() + " is gone");
    }
    childId = child.id();
    // The child does what its parent does: UPDATE, or ROLLBACK when the parent rolls back.
    StackAction action = parent.stack().action() == StackAction.ROLLBACK ? StackAction.ROLLBACK : StackAction.UPDATE;
    String traversal = journal().traversal();
    if (child.traversal().equals(traversal)) {
      // This operation changed the child already: read it as committed, not as it was before.
      journal().sync();
      child = new StackStore(e.db().sql()).find(child.id()).orElseThrow();
    }
    if (child.traversal().equals(traversal) && child.action() == action) {
      // An earlier attempt of this very operation began it (a crash, a retried task), or an earlier
      // batch of it did (a group's rolling update gives its child one template per batch).
      boolean sameTemplate = sameTemplate(child, template);
      if (child.status() == StackStatus.FAILED) {
        throw new NestedStackFailed(child.statusReason());
      }
      if (child.status() == StackStatus.IN_PROGRESS) {
        BoundStack bound = e.parsed().bound(child, e.checkers());
        run(LiveStack.of(child, new ResourceStore(e.db().sql()).current(child.id()), bound, e.types()), action,
            timeoutMins);
      }
      if (sameTemplate) {
        return;
      }
      child = new StackStore(e.db().sql()).find(child.id()).orElseThrow();
    }
    run(begin(child, action, template, parameters, timeoutMins), action, timeoutMins);
  }

  private void run(LiveStack live, StackAction action, Integer timeoutMins) throws Exception {
    Engine e = engine();
    StackRunner.Outcome outcome =
        runner.update(live, new ResourceStore(e.db().sql()).leftovers(live.stack().id()), action, journal(),
            childDeadline(timeoutMins), interruption);
    runner.stackState(live, journal(), action, outcome.status(), outcome.reason());
    // Committed before the parent resource reads the child again (a group's next batch does).
    journal().sync();
    if (outcome.status() != StackStatus.COMPLETE) {
      throw new NestedStackFailed(outcome.reason());
    }
  }

  /** Whether the child's current template is {@code template}'s (as parsed, numbers by value). */
  private boolean sameTemplate(StackRow child, TemplateSource template) {
    Engine e = engine();
    TemplateRow current = new TemplateStore(e.db().sql()).find(child.templateId()).orElse(null);
    if (current == null) {
      return false;
    }
    JsonNode wanted;
    try {
      wanted = e.templates().parse(template, e.types().lenientView()).templateJson();
    } catch (RuntimeException unparsable) {
      return false;
    }
    return PlanValues.same(current.template(), wanted);
  }

  /**
   * Points the child at its new template and starts its operation, through the journal (the
   * child's lock is its root's): the template row (with its parameters, so that the child can be
   * bound again after a crash), the take-over and the retarget commit together.
   */
  private LiveStack begin(
      StackRow child, StackAction action, TemplateSource template, Map<String, JsonNode> parameters,
      Integer timeoutMins) throws InterruptedException {
    Engine e = engine();
    ParsedStack parsed = e.templates().parse(template, e.types());
    dev.kiln.orchestration.ResourceTypePolicy.enforceTemplate(Engine.owner(child), parsed.templateJson());
    BoundStack bound =
        parsed.bind(
            parameters, new PseudoParameters(child.name(), child.id(), child.projectId()),
            e.checkers().forOwner(Engine.owner(child)));
    Instant now = e.now();
    ObjectNode params = JsonColumns.object();
    parameters.forEach(params::set);
    TemplateRow templateRow =
        new TemplateRow(
            e.ids().uuid(), parsed.templateJson(), parsed.files(), template.environment(),
            template.environmentFiles(), params, now);
    String traversal = journal().traversal();
    String reason = "Stack " + action + " started";
    StackRow next =
        child.retargeted(
            action, reason, traversal, now, templateRow.id(), child.templateId(),
            parsed.description() == null ? "" : parsed.description(), params, NewStack.shownParameters(parsed, bound),
            timeoutMins, child.disableRollback(), child.tags());
    journal().template(templateRow);
    journal().begin(new Journal.StackBegin(child.id(), action, reason, traversal, now));
    journal().retarget(next, java.util.List.of(runner.stackEvent(next, action, StackStatus.IN_PROGRESS, reason, now)));
    e.parsed().remember(child.id(), templateRow.id(), parsed, bound);
    // Committed before the child's resources run: a group inside reads the child's template row.
    journal().sync();
    return LiveStack.of(next, new ResourceStore(e.db().sql()).current(child.id()), bound, e.types());
  }

  /** The parent's deadline, or the child's own timeout when that ends first. */
  private Instant childDeadline(Integer timeoutMins) {
    if (timeoutMins == null) {
      return deadline;
    }
    Instant own = engine().clock().instant().plusSeconds(60L * timeoutMins);
    return own.isBefore(deadline) ? own : deadline;
  }

  @Override
  public void delete(String childId) throws Exception {
    operate(childId, StackAction.DELETE);
  }

  @Override
  public void suspend(String childId) throws Exception {
    operate(childId, StackAction.SUSPEND);
  }

  @Override
  public void resume(String childId) throws Exception {
    operate(childId, StackAction.RESUME);
  }

  @Override
  public void check(String childId) throws Exception {
    operate(childId, StackAction.CHECK);
  }

  /** Finds this resource's child even when the create's record of it was lost to a crash. */
  String findChild(String knownId) {
    if (knownId != null) {
      return knownId;
    }
    return new StackStore(engine().db().sql()).findByParentResource(resource.id()).map(StackRow::id).orElse(null);
  }

  private void operate(String knownId, StackAction action) throws Exception {
    Engine e = engine();
    String id = findChild(knownId);
    if (id == null) {
      return;
    }
    Optional<StackRow> found = new StackStore(e.db().sql()).find(id);
    if (found.isEmpty() || found.get().deleted()) {
      return;
    }
    StackRow child = found.get();
    String traversal = journal().traversal();
    if (child.action() != action || child.status() != StackStatus.IN_PROGRESS || !child.traversal().equals(traversal)) {
      Instant now = e.now();
      String reason = "Stack " + action + " started";
      journal().begin(new Journal.StackBegin(child.id(), action, reason, traversal, now));
      child =
          new StackRow(
              child.id(), child.name(), child.projectId(), child.userId(), child.ownerAdmin(), action,
              StackStatus.IN_PROGRESS, reason, traversal, now, child.templateId(), child.previousTemplateId(),
              child.description(), child.parameters(), child.shownParameters(), child.timeoutMins(),
              child.disableRollback(), child.tags(), child.parentId(), child.parentResource(),
              child.parentResourceId(), child.rootId(), child.nestedDepth(), child.createdAt(), now,
              child.deletedAt());
      journal().event(runner.stackEvent(child, action, StackStatus.IN_PROGRESS, reason, now));
    }
    LiveStack live = LiveStack.of(child, new ResourceStore(e.db().sql()).current(child.id()), null, e.types());
    StackRunner.Outcome outcome =
        switch (action) {
          case DELETE -> runner.delete(live, journal(), deadline, interruption);
          default -> runner.act(live, action, journal(), deadline, interruption);
        };
    runner.stackState(live, journal(), action, outcome.status(), outcome.reason());
    if (outcome.status() != StackStatus.COMPLETE) {
      throw new NestedStackFailed(outcome.reason());
    }
  }

  @Override
  public JsonNode output(String childId, String key) {
    StackRow child = new StackStore(engine().db().sql()).find(childId).orElse(null);
    if (child == null) {
      return null;
    }
    for (StackOutput output : new Outputs(runner).resolve(child)) {
      if (output.key().equals(key)) {
        if (output.error() != null) {
          throw new IllegalStateException(output.error());
        }
        return output.value();
      }
    }
    return null;
  }

  @Override
  public JsonNode outputs(String childId) {
    ObjectNode out = JsonColumns.object();
    StackRow child = new StackStore(engine().db().sql()).find(childId).orElse(null);
    if (child == null) {
      return out;
    }
    for (StackOutput output : new Outputs(runner).resolve(child)) {
      out.set(output.key(), output.value());
    }
    return out;
  }

  @Override
  public JsonNode template(String childId) {
    Engine e = engine();
    return new StackStore(e.db().sql()).find(childId)
        .flatMap(child -> new TemplateStore(e.db().sql()).find(child.templateId()))
        .map(TemplateRow::template)
        .orElse(null);
  }

  @Override
  public Map<String, ResourceState> resources(String childId) {
    Map<String, ResourceState> states = new LinkedHashMap<>();
    LiveStack live = load(childId);
    if (live != null) {
      for (String name : live.names()) {
        states.put(name, live.state(name));
      }
    }
    return states;
  }

  @Override
  public JsonNode attribute(String childId, String resourceName, String attribute) {
    LiveStack live = load(childId);
    if (live == null || !live.has(resourceName)) {
      return com.fasterxml.jackson.databind.node.NullNode.instance;
    }
    return new StackResolver(live, name -> new NestedStackRunner(runner, live, live.slot(name).row(), null, deadline))
        .attribute(resourceName, attribute);
  }

  @Override
  public java.util.List<String> attributeNames(String childId, String resourceName) {
    LiveStack live = load(childId);
    if (live == null || !live.has(resourceName)) {
      return java.util.List.of();
    }
    return java.util.List.copyOf(live.slot(resourceName).type.schema().attributes().keySet());
  }

  @Override
  public String referenceId(String childId, String resourceName) {
    LiveStack live = load(childId);
    if (live == null || !live.has(resourceName)) {
      return resourceName;
    }
    return new StackResolver(live, name -> new NestedStackRunner(runner, live, live.slot(name).row(), null, deadline))
        .resourceId(resourceName);
  }

  private LiveStack load(String childId) {
    Engine e = engine();
    StackRow child = new StackStore(e.db().sql()).find(childId).orElse(null);
    if (child == null) {
      return null;
    }
    return LiveStack.of(child, new ResourceStore(e.db().sql()).current(childId), null, e.types());
  }
}
