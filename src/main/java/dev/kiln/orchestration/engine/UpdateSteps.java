package dev.kiln.orchestration.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.common.ServiceException;
import dev.kiln.orchestration.StackAction;
import dev.kiln.orchestration.StackStatus;
import dev.kiln.orchestration.engine.UpdatePlan.Decision;
import dev.kiln.orchestration.engine.UpdatePlan.Work;
import dev.kiln.orchestration.resources.ResourceType;
import dev.kiln.orchestration.store.ResourceRow;
import dev.kiln.orchestration.store.ResourceStore;
import dev.kiln.orchestration.template.ResourceDefinition;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Carries out an {@link UpdatePlan}, one {@link Work} at a time as the walk reaches it: creates
 * what was added, updates in place, replaces (a new generation row made, then made current in the
 * same commit that retires the old one), restores an earlier generation, and cleans up replaced,
 * removed and leftover rows.
 *
 * <p>Every step starts from the rows as persisted and writes through the journal, so an update
 * interrupted anywhere (a crash, a cancel) is carried on, or rolled back, by planning again from
 * what was committed: a replacement found half made is finished, not made twice (it is found by
 * the row it replaces); an in-place update found in progress runs again from the properties it
 * started from, which its row recorded.
 */
final class UpdateSteps {
  /** Where a row being updated in place records the properties it is updated from. */
  static final String UPDATE_FROM_KEY = "_update_from";

  private final StackRunner runner;
  private final LiveStack live;
  private final UpdatePlan plan;
  private final UpdatePlanner planner;
  private final Journal journal;
  private final Instant deadline;
  private final ResourceSteps steps;
  private final StackResolver resolver;
  /** Rows that are not (or no longer) the stack's resource of their name, by id, as last written. */
  private final Map<String, LiveStack.Slot> detached = new ConcurrentHashMap<>();

  UpdateSteps(
      StackRunner runner, LiveStack live, UpdatePlan plan, UpdatePlanner planner, Journal journal, Instant deadline,
      ResourceSteps steps) {
    this.runner = runner;
    this.live = live;
    this.plan = plan;
    this.planner = planner;
    this.journal = journal;
    this.deadline = deadline;
    this.steps = steps;
    this.resolver =
        new StackResolver(live, name -> new NestedStackRunner(runner, live, live.slot(name).row(), journal, deadline));
  }

  void visit(Work work) throws Exception {
    if (work.isCleanup()) {
      cleanup(work.rowId());
    } else {
      converge(work.name());
    }
  }

  private void converge(String name) throws Exception {
    Decision decision = plan.resources().get(name);
    ResourceDefinition definition = live.definition(name);
    LiveStack.Slot slot = live.slot(name);
    if (decision.deferred()) {
      try {
        decision = planner.decide(definition, planner.resolve(definition, resolver));
      } catch (ServiceException refused) {
        decision = Decision.refused(name, refused);
      }
    }
    if (decision.refusal() != null) {
      ResourceRow row = slot.row();
      row = runner.transition(
          live, journal, slot, row, StackAction.UPDATE, StackStatus.IN_PROGRESS, StackRunner.STATE_CHANGED, null);
      throw steps.fail(slot, row, StackAction.UPDATE, decision.refusal());
    }
    switch (decision.change()) {
      case UNCHANGED -> {
        // Heat stops at a pre-update hook before it looks whether anything changed.
        if (definition.hooks().contains(ResourceDefinition.Hook.PRE_UPDATE) && isLive(slot.row())) {
          slot.row(steps.hold(slot, slot.row(), StackAction.UPDATE, "pre-update"));
        }
      }
      case ADDED -> steps.create(slot);
      case UPDATED -> updateInPlace(slot, definition, decision);
      case REPLACED -> {
        if (decision.restore() != null) {
          restore(slot, definition, decision.restore());
        } else {
          replace(slot, definition, decision);
        }
      }
      case DELETED -> throw new IllegalStateException("a resource of the new template cannot be deleted");
    }
    follow(slot, definition);
  }

  /** Records the new definition's order, policy and description on the row, when they changed. */
  private void follow(LiveStack.Slot slot, ResourceDefinition definition) {
    ResourceRow row = slot.row();
    List<String> requires = StackRunner.requires(definition, live);
    if (!row.requires().equals(requires)
        || !row.deletionPolicy().equals(definition.deletionPolicy().name())
        || !row.description().equals(definition.description())) {
      ResourceRow next =
          row.withDefinition(
              live.stack().templateId(), requires, definition.deletionPolicy().name(), definition.description());
      slot.row(next);
      journal.resource(next);
    }
  }

  private static boolean isLive(ResourceRow row) {
    return row.action() != StackAction.INIT
        && !(row.action() == StackAction.DELETE && row.status() == StackStatus.COMPLETE);
  }

  private void updateInPlace(LiveStack.Slot slot, ResourceDefinition definition, Decision decision) throws Exception {
    ResourceRow row = slot.row();
    if (definition.hooks().contains(ResourceDefinition.Hook.PRE_UPDATE)) {
      row = steps.hold(slot, row, StackAction.UPDATE, "pre-update");
    }
    JsonNode properties = decision.properties();
    if (properties == null) {
      // Still not resolvable now that its dependencies are done: say why, on the resource.
      row = runner.transition(
          live, journal, slot, row, StackAction.UPDATE, StackStatus.IN_PROGRESS, StackRunner.STATE_CHANGED, null);
      try {
        definition.properties().resolve(resolver);
        throw new IllegalStateException("the properties of " + definition.name() + " do not resolve");
      } catch (RuntimeException e) {
        throw steps.fail(slot, row, StackAction.UPDATE, e);
      }
    }
    boolean resumed = row.action() == StackAction.UPDATE && row.status() == StackStatus.IN_PROGRESS
        && row.data().has(UPDATE_FROM_KEY);
    JsonNode previous = resumed ? row.data().get(UPDATE_FROM_KEY) : row.properties();
    ObjectNode data = row.data().deepCopy();
    data.set(UPDATE_FROM_KEY, previous);
    row = row.withOutcome(row.physicalId(), properties, data, row.metadata(), row.nestedStackId());
    row = runner.transition(
        live, journal, slot, row, StackAction.UPDATE, StackStatus.IN_PROGRESS, StackRunner.STATE_CHANGED, properties);
    NestedStackRunner nested = steps.nested(row);
    Step step = new Step(runner.engine(), live, row, properties, deadline, nested, steps.interruption())
        .updatePolicy(decision.updatePolicy());
    try {
      // A nested stack is updated even when its properties are the same: its child decides.
      if (slot.type.nestedStack()
          || !PlanValues.changedKeys(previous == null ? StackRunner.EMPTY : previous, properties).isEmpty()) {
        slot.type.update(step, previous);
      }
    } catch (Exception e) {
      throw steps.fail(slot, step.outcome(slot.row(), row.metadata(), nested.childId()), StackAction.UPDATE, e);
    }
    ResourceRow done = step.outcome(slot.row(), decision.metadata(), nested.childId());
    done.data().remove(UPDATE_FROM_KEY);
    done.data().set(UpdatePlanner.UPDATE_POLICY_KEY, decision.updatePolicy());
    runner.transition(
        live, journal, slot, done, StackAction.UPDATE, StackStatus.COMPLETE, StackRunner.STATE_CHANGED, properties);
  }

  /**
   * Makes a new generation of the resource and, once it is made, switches the name to it: the old
   * row stays (not current) until its clean-up, so dependants are switched before it goes.
   */
  private void replace(LiveStack.Slot slot, ResourceDefinition definition, Decision decision) throws Exception {
    ResourceRow old = slot.row();
    if (definition.hooks().contains(ResourceDefinition.Hook.PRE_UPDATE)
        && !(old.action() == StackAction.DELETE && old.status() == StackStatus.COMPLETE)) {
      old = steps.hold(slot, old, StackAction.UPDATE, "pre-update");
    }
    ResourceType newType =
        runner.engine().types().forImplementation(ResourceTypes.implementationName(definition.implementation()));
    if (decision.deleteFirst()) {
      steps.delete(slot);
    }
    ResourceRow fresh = replacementOf(slot.row());
    if (fresh == null) {
      int generation = new ResourceStore(runner.engine().db().sql()).maxGeneration(live.stack().id(), old.name()) + 1;
      fresh = runner.newRow(live.stack(), definition, generation, old.id(), StackRunner.requires(definition, live));
      journal.newResources(List.of(fresh));
    }
    ResourceRow made = fresh;
    LiveStack.Slot successor = detached.computeIfAbsent(made.id(), id -> new LiveStack.Slot(made, definition, newType));
    steps.create(successor);
    ResourceRow current = successor.row().withCurrent(true, null);
    current.data().set(UpdatePlanner.UPDATE_POLICY_KEY, decision.updatePolicy());
    ResourceRow retired = slot.row().withCurrent(false, current.id());
    journal.resources(List.of(retired, current));
    detached.put(retired.id(), new LiveStack.Slot(retired, null, slot.type));
    detached.remove(current.id());
    slot.replace(current, newType);
  }

  /** A replacement of {@code old} that an earlier attempt started, if any. */
  private ResourceRow replacementOf(ResourceRow old) {
    for (ResourceRow row : plan.cleanups().values()) {
      if (old.id().equals(row.replaces()) && row.status() != StackStatus.FAILED && row.action() != StackAction.DELETE) {
        LiveStack.Slot known = detached.get(row.id());
        return known != null ? known.row() : row;
      }
    }
    return null;
  }

  /** Makes an earlier generation current again (a rollback undoing a replacement). */
  private void restore(LiveStack.Slot slot, ResourceDefinition definition, ResourceRow earlier) {
    LiveStack.Slot known = detached.get(earlier.id());
    ResourceRow back = (known != null ? known.row() : earlier).withCurrent(true, null);
    ResourceRow retired = slot.row().withCurrent(false, back.id());
    journal.resources(List.of(retired, back));
    detached.put(retired.id(), new LiveStack.Slot(retired, null, slot.type));
    detached.remove(back.id());
    slot.replace(back, runner.engine().types().forImplementation(
        back.data().path(ResourceTypes.IMPL_KEY).asText(back.type())));
  }

  /** Deletes a row that is no longer wanted; one that is (still, or again) current is left alone. */
  private void cleanup(String rowId) throws Exception {
    ResourceRow planned = plan.cleanups().get(rowId);
    if (live.has(planned.name()) && live.slot(planned.name()).row().id().equals(rowId)) {
      if (live.definition(planned.name()) != null) {
        return; // it stayed the resource: updated in place, or unchanged after all
      }
      LiveStack.Slot slot = live.slot(planned.name()); // a removed resource
      steps.delete(slot);
      ResourceRow gone = slot.row().withCurrent(false, null);
      slot.row(gone);
      journal.resource(gone);
      return;
    }
    LiveStack.Slot slot =
        detached.computeIfAbsent(
            rowId,
            id -> new LiveStack.Slot(planned, null, runner.engine().types().forImplementation(
                planned.data().path(ResourceTypes.IMPL_KEY).asText(planned.type()))));
    if (slot.row().current()) {
      return;
    }
    steps.delete(slot);
  }
}
