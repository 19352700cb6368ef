package dev.kiln.orchestration.engine;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.ServiceException;
import dev.kiln.orchestration.engine.UpdatePlan.Change;
import dev.kiln.orchestration.engine.UpdatePlan.Decision;
import dev.kiln.orchestration.engine.ResourceDecisions.Resolved;
import dev.kiln.orchestration.engine.UpdatePlan.Work;
import dev.kiln.orchestration.engine.graph.CycleException;
import dev.kiln.orchestration.engine.graph.Graph;
import dev.kiln.orchestration.store.ResourceRow;
import dev.kiln.orchestration.template.ResourceDefinition;
import dev.kiln.orchestration.template.Resolver;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Plans a stack update, Heat's way ({@code update.py}'s graph): for each resource of the new
 * template, what {@link ResourceDecisions} decides (added, unchanged, updated in place, replaced);
 * which rows are cleaned up; and in which order, including the order that exclusive claims need (a
 * port detached from one server before another server attaches it).
 *
 * <p>Pure over what it is given (the stack's rows and the bound new template): the preview and the
 * update call the same {@link #plan}, and the update calls the same {@link #decide} again for the
 * resources whose dependencies changed.
 */
final class UpdatePlanner {
  /** Where a row records its resolved update policy, to tell a changed one. */
  static final String UPDATE_POLICY_KEY = "_update_policy";

  private final StackRunner runner;
  private final LiveStack live;
  private final List<ResourceRow> leftovers;
  private final ResourceDecisions decisions;

  /**
   * @param live the stack's current rows with the new template's definitions (a resource the new
   *     template adds may have no row yet: a preview)
   * @param leftovers rows no longer current but not deleted
   * @param restricted the environment's {@code restricted_actions} per resource name
   */
  UpdatePlanner(StackRunner runner, LiveStack live, List<ResourceRow> leftovers, Map<String, Set<String>> restricted) {
    this.runner = requireNonNull(runner, "runner is null");
    this.live = requireNonNull(live, "live is null");
    this.leftovers = List.copyOf(leftovers);
    this.decisions = new ResourceDecisions(runner, live, leftovers, restricted);
  }

  /** A resource's new properties, metadata and update policy, resolved now; null members did not resolve. */
  Resolved resolve(ResourceDefinition definition, Resolver resolver) {
    return decisions.resolve(definition, resolver);
  }

  /**
   * What to do with one resource of the new template, given what it resolves to now.
   *
   * @throws ServiceException INVALID for a change Heat refuses
   */
  Decision decide(ResourceDefinition definition, Resolved resolved) {
    return decisions.decide(definition, resolved);
  }

  /**
   * @throws ServiceException INVALID when the update cannot be done as asked (an immutable property
   *     changed, a restricted action needed, an order that cannot be kept)
   */
  UpdatePlan plan() {
    List<ResourceDefinition> definitions = live.bound().resources();
    Set<String> newNames = new HashSet<>();
    definitions.forEach(d -> newNames.add(d.name()));
    Resolver resolver = new PlanningResolver(runner, live);

    Map<String, Decision> decisions = new LinkedHashMap<>();
    for (ResourceDefinition definition : definitions) {
      boolean deferred = false;
      for (String needed : definition.dependsOn()) {
        Decision d = decisions.get(needed);
        if (d != null && (d.change() != Change.UNCHANGED || d.deferred())) {
          deferred = true;
        }
      }
      Resolved resolved = resolve(definition, resolver);
      Decision decision;
      try {
        decision = decide(definition, resolved);
      } catch (ServiceException refused) {
        decision = Decision.refused(definition.name(), refused);
      }
      decisions.put(definition.name(), deferred || !resolved.complete() ? decision.deferred(true) : decision);
    }

    List<String> removed = new ArrayList<>();
    Map<String, ResourceRow> cleanups = new LinkedHashMap<>();
    for (LiveStack.Slot slot : live.slots()) {
      ResourceRow row = slot.row();
      if (!newNames.contains(row.name())) {
        removed.add(row.name());
        cleanups.put(row.id(), row);
      } else {
        Decision d = decisions.get(row.name());
        if (d.change() != Change.UNCHANGED || d.deferred()) {
          cleanups.put(row.id(), row); // may be replaced: its clean-up waits in the graph
        }
      }
    }
    leftovers.forEach(row -> cleanups.put(row.id(), row));

    Graph.Builder<Work> graph = Graph.builder();
    for (ResourceDefinition definition : definitions) {
      Work work = Work.converge(definition.name());
      graph.vertex(work);
      for (String needed : sorted(definition.dependsOn())) {
        if (newNames.contains(needed)) {
          graph.edge(work, Work.converge(needed));
        }
      }
    }
    for (ResourceRow row : cleanups.values()) {
      Work work = Work.cleanup(row);
      graph.vertex(work);
      if (newNames.contains(row.name())) {
        graph.edge(work, Work.converge(row.name())); // not before its successor is in place
      }
      // Whatever needed it is switched away (or deleted) first.
      for (LiveStack.Slot slot : live.slots()) {
        ResourceRow dependant = slot.row();
        if (!dependant.name().equals(row.name()) && dependant.requires().contains(row.name())) {
          if (newNames.contains(dependant.name())) {
            graph.edge(work, Work.converge(dependant.name()));
          }
          if (cleanups.containsKey(dependant.id())) {
            graph.edge(work, Work.cleanup(dependant));
          }
        }
      }
      for (ResourceRow other : leftovers) {
        if (!other.name().equals(row.name()) && other.requires().contains(row.name())) {
          graph.edge(work, Work.cleanup(other));
        }
      }
    }
    new ClaimOrder(runner.engine().types(), live).addEdges(graph, decisions, cleanups);
    Graph<Work> built = graph.build();
    try {
      built.requireAcyclic();
    } catch (CycleException cycle) {
      throw ServiceException.invalid(
          "StackValidationFailed",
          "The update cannot be ordered: " + cycle.getMessage()
              + " (a resource would have to release what it holds after another takes it)");
    }
    return new UpdatePlan(decisions, removed, cleanups, built);
  }

  private static List<String> sorted(Set<String> names) {
    return names.stream().sorted().toList();
  }
}
