package dev.kiln.orchestration.engine;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.Actor;
import dev.kiln.orchestration.StackPreview;
import dev.kiln.orchestration.StackResource;
import dev.kiln.orchestration.StackUpdatePreview;
import dev.kiln.orchestration.engine.UpdatePlan.Change;
import dev.kiln.orchestration.engine.UpdatePlan.Decision;
import dev.kiln.orchestration.resources.ResourceType;
import dev.kiln.orchestration.store.ResourceRow;
import dev.kiln.orchestration.store.ResourceStore;
import dev.kiln.orchestration.store.StackRow;
import dev.kiln.orchestration.store.StackStore;
import dev.kiln.orchestration.template.BoundStack;
import dev.kiln.orchestration.template.ParsedStack;
import dev.kiln.orchestration.template.PseudoParameters;
import dev.kiln.orchestration.template.ResourceDefinition;
import dev.kiln.orchestration.template.TemplateSource;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The answer of an update preview, from the plan the update itself would follow ({@link
 * UpdatePlanner}). With {@code show_nested}, as Heat's {@code preview_update_stack}: the resources
 * of a nested stack that goes (its resource deleted or replaced) are listed as deleted, those of
 * one that would be made (its resource added or replaced) as added, and a nested stack that is
 * updated is previewed in turn, its resources joining the same five lists; recursively.
 */
final class UpdatePreviews {
  /** Heat's default {@code max_nested_stack_depth}. */
  private static final int MAX_DEPTH = 5;

  private final StackRunner runner;
  private final Actor actor;
  private final boolean showNested;
  private final Map<Change, List<StackResource>> out = new EnumMap<>(Change.class);

  UpdatePreviews(StackRunner runner, Actor actor, boolean showNested) {
    this.runner = requireNonNull(runner, "runner is null");
    this.actor = requireNonNull(actor, "actor is null");
    this.showNested = showNested;
    for (Change c : Change.values()) {
      out.put(c, new ArrayList<>());
    }
  }

  private Engine engine() {
    return runner.engine();
  }

  /**
   * @param live the stack's rows with the new template bound
   * @param plan the update's plan (refusals already answered)
   * @param source the new template, for the nested stacks it runs
   */
  StackUpdatePreview of(LiveStack live, UpdatePlan plan, TemplateSource source) {
    add(live, plan, source, 0);
    return new StackUpdatePreview(
        out.get(Change.ADDED), out.get(Change.DELETED), out.get(Change.REPLACED), out.get(Change.UPDATED),
        out.get(Change.UNCHANGED));
  }

  private void add(LiveStack live, UpdatePlan plan, TemplateSource source, int depth) {
    StackRow stack = live.stack();
    Map<Change, List<String>> byChange = plan.byChange();
    byChange.forEach((change, names) -> {
      for (String name : names) {
        ResourceRow row = live.has(name) ? live.slot(name).row() : null;
        if (row == null || change == Change.ADDED || change == Change.REPLACED) {
          ResourceDefinition definition = live.definition(name);
          row = runner.newRow(stack, definition, 0, null, StackRunner.requires(definition, live));
        }
        out.get(change).add(Views.resource(stack, row, List.of(), null, null));
      }
    });
    if (!showNested || depth >= MAX_DEPTH) {
      return;
    }
    byChange.forEach((change, names) -> {
      for (String name : names) {
        ResourceRow current = live.has(name) ? live.slot(name).row() : null;
        Decision decision = plan.resources().get(name);
        switch (change) {
          case DELETED -> deleted(current, depth);
          case ADDED -> added(stack, live.definition(name), decision, source, depth);
          case REPLACED -> {
            deleted(current, depth);
            added(stack, live.definition(name), decision, source, depth);
          }
          case UPDATED -> updated(current, live.definition(name), decision, source, depth);
          case UNCHANGED -> {}
        }
      }
    });
  }

  /** Every resource of the nested stack {@code row} runs, recursively, as deleted. */
  private void deleted(ResourceRow row, int depth) {
    StackRow child = child(row);
    if (child == null || depth >= MAX_DEPTH) {
      return;
    }
    for (ResourceRow r : new ResourceStore(engine().db().sql()).current(child.id())) {
      out.get(Change.DELETED).add(Views.resource(child, r, List.of(), null, null));
      deleted(r, depth + 1);
    }
  }

  /** The resources of the nested stack a new resource would make, recursively, as added. */
  private void added(StackRow parent, ResourceDefinition definition, Decision decision, TemplateSource source, int depth) {
    if (definition == null || decision == null || decision.properties() == null || !type(definition).nestedStack()) {
      return;
    }
    StackPreview.Nested nested =
        new CreatePreviews(engine(), actor).nested(
            Views.stack(parent, List.of()), definition, decision.properties(), source, depth);
    if (nested != null) {
      flatten(nested.items());
    }
  }

  private void flatten(List<StackPreview.Item> items) {
    for (StackPreview.Item item : items) {
      switch (item) {
        case StackPreview.Resource r -> out.get(Change.ADDED).add(r.resource());
        case StackPreview.Nested n -> flatten(n.items());
      }
    }
  }

  /** The update of the nested stack an updated resource runs, previewed into the same lists. */
  private void updated(ResourceRow row, ResourceDefinition definition, Decision decision, TemplateSource source, int depth) {
    StackRow child = child(row);
    if (child == null || definition == null || decision.properties() == null || !type(definition).nestedStack()) {
      return;
    }
    CreatePreviews.ChildSource childSource = CreatePreviews.childSource(definition, decision.properties(), source);
    if (childSource == null) {
      return;
    }
    Engine e = engine();
    LiveStack childLive;
    UpdatePlan childPlan;
    try {
      ParsedStack parsed = e.templates().parse(childSource.source(), e.types());
      BoundStack bound =
          parsed.bind(
              childSource.parameters(parsed), new PseudoParameters(child.name(), child.id(), child.projectId()),
              e.checkers().forOwner(Engine.owner(child)));
      ResourceStore resources = new ResourceStore(e.db().sql());
      childLive = LiveStack.of(child, resources.current(child.id()), bound, e.types());
      childPlan =
          new UpdatePlanner(runner, childLive, resources.leftovers(child.id()),
              StackRunner.restrictedActions(parsed.environment(), childLive)).plan();
    } catch (RuntimeException unpreviewable) {
      return; // the nested update would fail; the resource itself is listed as updated
    }
    add(childLive, childPlan, childSource.source(), depth + 1);
  }

  private StackRow child(ResourceRow row) {
    if (row == null || row.nestedStackId() == null) {
      return null;
    }
    return new StackStore(engine().db().sql()).find(row.nestedStackId()).filter(s -> !s.deleted()).orElse(null);
  }

  private ResourceType type(ResourceDefinition definition) {
    return engine().types().forImplementation(ResourceTypes.implementationName(definition.implementation()));
  }
}
