package dev.kiln.orchestration.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.common.ServiceException;
import dev.kiln.orchestration.StackAction;
import dev.kiln.orchestration.StackStatus;
import dev.kiln.orchestration.resources.ResourceType;
import dev.kiln.orchestration.store.JsonColumns;
import dev.kiln.orchestration.store.ResourceRow;
import dev.kiln.orchestration.template.ResourceDefinition;
import java.time.Instant;

/**
 * One resource's step in an operation, Heat's way: the state goes to {@code <ACTION>_IN_PROGRESS}
 * (with an event), breakpoint hooks hold it there until cleared, the type does its work, and the
 * state ends {@code _COMPLETE} or {@code _FAILED} with Heat's reason (another event each).
 *
 * <p>A step repeated after a crash starts from the row as persisted: a resource already {@code
 * _COMPLETE} for this action is skipped; anything else runs again, and the type finds what the
 * earlier attempt made (see {@link ResourceType}).
 */
final class ResourceSteps {
  /** Where a row records the hooks its definition set, so that delete needs no template. */
  static final String HOOKS_KEY = "_hooks";
  /** Where a row records the {@code external_id} it was adopted with (absent: Heat made it). */
  static final String EXTERNAL_ID_KEY = "_external_id";

  private final StackRunner runner;
  private final LiveStack live;
  private final Journal journal;
  private final Instant deadline;
  private final StackResolver resolver;
  private final Interruption interruption;

  ResourceSteps(StackRunner runner, LiveStack live, Journal journal, Instant deadline, Interruption interruption) {
    this.runner = runner;
    this.live = live;
    this.journal = journal;
    this.deadline = deadline;
    this.interruption = interruption;
    this.resolver = new StackResolver(live, name -> nested(live.slot(name).row()));
  }

  Interruption interruption() {
    return interruption;
  }

  NestedStackRunner nested(ResourceRow row) {
    return new NestedStackRunner(runner, live, row, journal, deadline, interruption);
  }

  void create(String name) throws Exception {
    create(live.slot(name));
  }

  /** Creates the resource in {@code slot}: the stack's, or a replacement's own slot. */
  void create(LiveStack.Slot slot) throws Exception {
    ResourceRow row = slot.row();
    String name = row.name();
    if (row.action() == StackAction.CREATE && row.status() == StackStatus.COMPLETE) {
      return;
    }
    ResourceDefinition definition = slot.definition;
    if (definition.externalId() != null) {
      adopt(slot, row, definition.externalId());
      return;
    }
    if (definition.hooks().contains(ResourceDefinition.Hook.PRE_CREATE)) {
      row = hold(slot, row, StackAction.CREATE, "pre-create");
    }
    JsonNode properties;
    JsonNode metadata;
    JsonNode updatePolicy;
    ResourceType type = slot.type;
    try {
      JsonNode resolved = definition.properties().resolve(resolver);
      properties =
          type.checksProperties()
              ? runner.engine().templates().checkProperties(
                  name, type.schema(), resolved, runner.engine().checkers().forOwner(Engine.owner(live.stack())))
              : resolved;
      metadata = definition.metadata().resolve(resolver);
      updatePolicy = definition.updatePolicy().resolve(resolver);
      if (type.checksProperties() && properties.isObject()) {
        type.validate(new dev.kiln.orchestration.template.KnownProperties(
            (com.fasterxml.jackson.databind.node.ObjectNode) properties, java.util.Set.of()));
      }
    } catch (ServiceException e) {
      if (row.status() != StackStatus.IN_PROGRESS || row.action() != StackAction.CREATE) {
        row = runner.transition(
            live, journal, slot, row, StackAction.CREATE, StackStatus.IN_PROGRESS, StackRunner.STATE_CHANGED, null);
      }
      throw fail(slot, row, StackAction.CREATE, e);
    }
    if (row.action() != StackAction.CREATE || row.status() != StackStatus.IN_PROGRESS || row.properties() == null) {
      // The properties are stored as the create starts (Heat stores them before handle_create):
      // a delete of a row whose create a crash or a take-over cut short needs them to find what
      // that create made (a server's name, an attachment's server and volume).
      row = row.withOutcome(row.physicalId(), properties, row.data(), row.metadata(), row.nestedStackId());
      row = runner.transition(
          live, journal, slot, row, StackAction.CREATE, StackStatus.IN_PROGRESS, StackRunner.STATE_CHANGED,
          properties);
    }
    NestedStackRunner nested = nested(row);
    Step step = new Step(runner.engine(), live, row, properties, deadline, nested, interruption).updatePolicy(updatePolicy);
    nested.onChild(childId -> {
      ResourceRow now = slot.row();
      if (!childId.equals(now.physicalId())) {
        step.physicalId(childId);
        ResourceRow recorded = now.withOutcome(childId, now.properties(), now.data(), now.metadata(), childId);
        slot.row(recorded);
        journal.resource(recorded);
      }
    });
    try {
      journal.awaitRow(row.id()); // what the type makes is found again by the row's id
      type.create(step);
    } catch (Exception e) {
      row = step.outcome(slot.row(), metadata, nested.childId());
      throw fail(slot, row, StackAction.CREATE, e);
    }
    row = step.outcome(slot.row(), metadata, nested.childId());
    runner.transition(
        live, journal, slot, row, StackAction.CREATE, StackStatus.COMPLETE, StackRunner.STATE_CHANGED, properties);
  }

  /**
   * Heat's {@code external_id}: nothing is made; the resource takes the existing physical resource
   * as its own ({@code ADOPT}), then is checked, so a missing one fails the create. A repeat after
   * a crash adopts and checks again, which changes nothing.
   */
  private void adopt(LiveStack.Slot slot, ResourceRow row, String externalId) throws Exception {
    if (row.action() == StackAction.CHECK && row.status() == StackStatus.COMPLETE
        && externalId.equals(row.physicalId())) {
      return;
    }
    row = runner.transition(
        live, journal, slot, row, StackAction.ADOPT, StackStatus.IN_PROGRESS, StackRunner.STATE_CHANGED, null);
    Step step = new Step(runner.engine(), live, row, emptyObject(), deadline, nested(row), interruption);
    step.physicalId(externalId);
    row = step.outcome(slot.row(), row.metadata(), null);
    runner.transition(
        live, journal, slot, row, StackAction.ADOPT, StackStatus.COMPLETE, StackRunner.STATE_CHANGED, null);
    act(slot, StackAction.CHECK);
  }

  void delete(String name) throws Exception {
    delete(live.slot(name));
  }

  /** Deletes the resource in {@code slot} (the stack's, or a replaced or removed row's own). */
  void delete(LiveStack.Slot slot) throws Exception {
    ResourceRow row = slot.row();
    if (row.action() == StackAction.DELETE && row.status() == StackStatus.COMPLETE) {
      return;
    }
    if (hooks(row).contains("pre-delete")) {
      row = hold(slot, row, StackAction.DELETE, "pre-delete");
    }
    if (row.action() != StackAction.DELETE || row.status() != StackStatus.IN_PROGRESS) {
      row = runner.transition(
          live, journal, slot, row, StackAction.DELETE, StackStatus.IN_PROGRESS, StackRunner.STATE_CHANGED, null);
    }
    if (!"RETAIN".equalsIgnoreCase(row.deletionPolicy())) {
      // Always asked, even for a row that never left INIT: a create whose outcome a crash lost
      // may have made something, and the type finds it by the row's id.
      NestedStackRunner nested = nested(row);
      Step step = new Step(runner.engine(), live, row, row.properties(), deadline, nested, interruption);
      try {
        slot.type.delete(step);
      } catch (Exception e) {
        throw fail(slot, step.outcome(slot.row(), row.metadata(), null), StackAction.DELETE, e);
      }
    }
    runner.transition(
        live, journal, slot, slot.row(), StackAction.DELETE, StackStatus.COMPLETE, StackRunner.STATE_CHANGED, null);
  }

  /** Suspend, resume or check one resource; resources that were never created are left alone. */
  void act(String name, StackAction action) throws Exception {
    act(live.slot(name), action);
  }

  private void act(LiveStack.Slot slot, StackAction action) throws Exception {
    ResourceRow row = slot.row();
    if (row.action() == StackAction.INIT || row.action() == StackAction.DELETE) {
      if (action != StackAction.CHECK) {
        return;
      }
    }
    if (row.action() == action && row.status() == StackStatus.COMPLETE && action != StackAction.CHECK) {
      return; // suspended or resumed already (a repeated step after a crash); a check always looks again
    }
    row = runner.transition(
        live, journal, slot, row, action, StackStatus.IN_PROGRESS, StackRunner.STATE_CHANGED, null);
    NestedStackRunner nested = nested(row);
    Step step = new Step(runner.engine(), live, row, row.properties(), deadline, nested, interruption);
    try {
      switch (action) {
        case SUSPEND -> slot.type.suspend(step);
        case RESUME -> slot.type.resume(step);
        case CHECK -> slot.type.check(step);
        default -> throw new IllegalArgumentException("not a resource action: " + action);
      }
    } catch (Exception e) {
      throw fail(slot, step.outcome(slot.row(), row.metadata(), null), action, e);
    }
    runner.transition(
        live, journal, slot, step.outcome(slot.row(), row.metadata(), null), action, StackStatus.COMPLETE,
        StackRunner.STATE_CHANGED, null);
  }

  /**
   * Holds the resource at a breakpoint before its action starts: the hook recorded durably, an event
   * saying so, then waits until a signal clears it. A restart keeps waiting.
   *
   * <p>The state is left as it is, as Heat leaves it: a resource paused before its create stays
   * {@code INIT_COMPLETE}, one paused before an update or delete keeps its last state, and the
   * pause and clear events carry that state (heat-tempest-plugin's hook tests assert it).
   */
  ResourceRow hold(LiveStack.Slot slot, ResourceRow row, StackAction action, String hook) throws Exception {
    if (runner.hookPassed(live.stack(), row, hook)) {
      return row;
    }
    if (!hook.equals(row.hook())) {
      journal.hook(row.id(), hook);
      row = row.withHook(hook);
      slot.row(row);
      runner.note(live, journal, row, action + " paused until Hook " + hook + " is cleared");
    }
    journal.sync();
    try {
      runner.awaitHook(row, deadline, interruption);
    } catch (InterruptedException e) {
      throw fail(slot, row, action, e);
    }
    row = row.withHook(null);
    slot.row(row);
    return row;
  }

  private static java.util.Set<String> hooks(ResourceRow row) {
    java.util.Set<String> hooks = new java.util.HashSet<>();
    row.data().path(HOOKS_KEY).forEach(h -> hooks.add(h.asText()));
    return hooks;
  }

  /** Records the failure on the resource and returns what the walk should see. */
  StackRunner.StepFailed fail(LiveStack.Slot slot, ResourceRow row, StackAction action, Throwable error) {
    if (error instanceof Interruption.LetGo letGo) {
      throw letGo; // a nested stack's step let go: so does this one
    }
    if (error instanceof InterruptedException && !interruption.timedOut()) {
      // Not a timeout: the node is letting the operation go. What is persisted stays as it is,
      // for the next attempt (or the operation that took the stack over) to carry on from.
      throw new Interruption.LetGo();
    }
    String reason =
        error instanceof InterruptedException
            ? action + " aborted (" + StackRunner.TIMED_OUT + ")"
            : Failures.resourceReason(row.name(), error);
    runner.transition(live, journal, slot, row, action, StackStatus.FAILED, reason, null);
    return new StackRunner.StepFailed(reason, action);
  }

  static JsonNode emptyObject() {
    return JsonColumns.object();
  }
}
