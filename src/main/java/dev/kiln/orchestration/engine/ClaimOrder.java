package dev.kiln.orchestration.engine;

import dev.kiln.orchestration.engine.UpdatePlan.Change;
import dev.kiln.orchestration.engine.UpdatePlan.Decision;
import dev.kiln.orchestration.engine.UpdatePlan.Work;
import dev.kiln.orchestration.engine.graph.Graph;
import dev.kiln.orchestration.resources.ResourceType;
import dev.kiln.orchestration.store.ResourceRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The order exclusive claims impose on an update ({@link ResourceType#claims}): for every key one
 * step releases and another takes, an edge from the taker to the releaser, so that a port is
 * detached from one server before another attaches it, whatever the template's dependencies say.
 */
final class ClaimOrder {
  private final ResourceTypes types;
  private final LiveStack live;

  ClaimOrder(ResourceTypes types, LiveStack live) {
    this.types = types;
    this.live = live;
  }

  /**
   * Within one update, a step that releases a claim (an in-place update that no longer claims it,
   * the clean-up of a replaced, removed or leftover row) runs before the step that takes it (an
   * added resource, a replacement, an in-place update that now claims it). Keys are visited in
   * sorted order, so the graph is the same every time.
   */
  void addEdges(Graph.Builder<Work> graph, Map<String, Decision> decisions, Map<String, ResourceRow> cleanups) {
    Map<String, List<Work>> releases = new TreeMap<>();
    Map<String, List<Work>> takes = new TreeMap<>();
    for (ResourceRow row : cleanups.values()) {
      for (String key : ResourceDecisions.claims(ResourceDecisions.typeOf(types, row), row.properties())) {
        boolean keptInPlace = false;
        Decision d = decisions.get(row.name());
        if (d != null && live.has(row.name()) && live.slot(row.name()).row().id().equals(row.id())
            && d.change() == Change.UPDATED) {
          keptInPlace = true; // handled below as an in-place release
        }
        if (!keptInPlace) {
          releases.computeIfAbsent(key, k -> new ArrayList<>()).add(Work.cleanup(row));
        }
      }
    }
    for (Decision d : decisions.values()) {
      ResourceType newType = types.forImplementation(
          ResourceTypes.implementationName(live.definition(d.name()).implementation()));
      Set<String> newClaims = d.properties() == null ? Set.of() : ResourceDecisions.claims(newType, d.properties());
      ResourceRow row = live.has(d.name()) ? live.slot(d.name()).row() : null;
      Set<String> oldClaims = row == null ? Set.of() : ResourceDecisions.claims(ResourceDecisions.typeOf(types, row), row.properties());
      switch (d.change()) {
        case ADDED, REPLACED -> newClaims.forEach(k -> takes.computeIfAbsent(k, x -> new ArrayList<>()).add(Work.converge(d.name())));
        case UPDATED -> {
          for (String k : newClaims) {
            if (!oldClaims.contains(k)) {
              takes.computeIfAbsent(k, x -> new ArrayList<>()).add(Work.converge(d.name()));
            }
          }
          for (String k : oldClaims) {
            if (!newClaims.contains(k)) {
              releases.computeIfAbsent(k, x -> new ArrayList<>()).add(Work.converge(d.name()));
            }
          }
        }
        case UNCHANGED, DELETED -> {}
      }
    }
    for (Map.Entry<String, List<Work>> take : takes.entrySet()) {
      for (Work taker : take.getValue()) {
        for (Work releaser : releases.getOrDefault(take.getKey(), List.of())) {
          if (!taker.equals(releaser) && !(releaser.isCleanup() && releaser.name().equals(taker.name()))) {
            graph.edge(taker, releaser);
          }
        }
      }
    }
  }

}
