package dev.kiln.orchestration.engine;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.orchestration.engine.graph.Graph;
import dev.kiln.orchestration.store.ResourceRow;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a stack update (or rollback) does, decided before anything is done: each resource of the
 * new template with its change, the rows to clean up (removed resources, replaced generations,
 * leftovers of earlier operations), and the order, as a graph of {@link Work}. The update preview
 * shows this value; the update walks exactly this graph.
 *
 * <p>A resource whose dependencies change is {@linkplain Decision#deferred deferred}: what it
 * resolves to is only known once they are done (a replaced server's new id), so its change is
 * decided again, by the same {@link UpdatePlanner#decide}, when its turn comes. Its planned change
 * is what the current values give, which is what Heat's preview shows too.
 *
 * @param resources the new template's resources, in template order
 * @param removed the current resources the new template no longer has
 * @param cleanups the rows to delete, by row id: removed resources and replaced or leftover
 *     generations (a row still current when its turn comes is left alone)
 */
record UpdatePlan(
    Map<String, Decision> resources, List<String> removed, Map<String, ResourceRow> cleanups, Graph<Work> graph) {

  UpdatePlan {
    resources = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(resources));
    removed = List.copyOf(removed);
    cleanups = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(cleanups));
    requireNonNull(graph, "graph is null");
  }

  /** What happens to one resource, in Heat's preview words. */
  enum Change {
    ADDED,
    UPDATED,
    REPLACED,
    UNCHANGED,
    DELETED
  }

  /**
   * One resource's change.
   *
   * @param properties the new properties as resolved and checked when decided, or null when they
   *     did not resolve yet
   * @param deleteFirst for a replacement: delete the old resource before making the new one
   *     (the two cannot hold the same things at once)
   * @param restore for a replacement: an earlier generation that already is what the template asks
   *     for (a rollback undoing a replacement), made current again instead of making a new one
   */
  record Decision(
      String name,
      Change change,
      boolean deferred,
      JsonNode properties,
      JsonNode metadata,
      JsonNode updatePolicy,
      boolean deleteFirst,
      ResourceRow restore,
      dev.kiln.common.ServiceException refusal) {

    Decision deferred(boolean deferred) {
      return new Decision(name, change, deferred, properties, metadata, updatePolicy, deleteFirst, restore, refusal);
    }

    /** A change Heat refuses (an immutable property, a restricted action): the resource fails with it. */
    static Decision refused(String name, dev.kiln.common.ServiceException refusal) {
      return new Decision(name, Change.UPDATED, false, null, null, null, false, null, refusal);
    }
  }

  /**
   * A vertex of the update's graph: converging a resource of the new template ({@code rowId} null),
   * or cleaning up one row.
   */
  record Work(String name, String rowId) {
    static Work converge(String name) {
      return new Work(name, null);
    }

    static Work cleanup(ResourceRow row) {
      return new Work(row.name(), row.id());
    }

    boolean isCleanup() {
      return rowId != null;
    }

    @Override
    public String toString() {
      return rowId == null ? name : name + "@" + rowId;
    }
  }

  /** The resources of each change, for the preview: new-template resources, then the deleted rows. */
  Map<Change, List<String>> byChange() {
    Map<Change, List<String>> out = new LinkedHashMap<>();
    for (Change c : Change.values()) {
      out.put(c, new java.util.ArrayList<>());
    }
    resources.values().forEach(d -> out.get(d.change()).add(d.name()));
    out.get(Change.DELETED).addAll(removed);
    return out;
  }
}
