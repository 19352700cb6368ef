package dev.kiln.orchestration.store;

import dev.kiln.orchestration.StackQuery;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code GET /stacks} query in SQL: the scope (one project, or all for an admin), Heat's filters
 * and tag filters, the sort, and a keyset page after the marker's row.
 *
 * <p>Sorting is on at most the given keys plus the id (so equal keys still page
 * deterministically); the marker condition is the lexicographic "after this row" for that order.
 */
public final class StackListing {
  /** Heat hides stacks with these tags unless asked ({@code hidden_stack_tags}' default). */
  public static final List<String> HIDDEN_TAGS = List.of("data-processing-cluster");

  private static final Map<String, String> SORT_COLUMNS =
      Map.of(
          "stack_name", "s.name",
          "stack_status", "s.status",
          "creation_time", "s.created_at",
          "created_at", "s.created_at",
          "updated_time", "COALESCE(s.updated_at, s.created_at)",
          "updated_at", "COALESCE(s.updated_at, s.created_at)",
          "name", "s.name",
          "status", "s.status");

  private final StringBuilder where = new StringBuilder();
  private final List<Object> args = new ArrayList<>();
  private final List<String> orderColumns = new ArrayList<>();
  private final boolean descending;
  private final StackRow marker;
  private final Integer limit;
  private boolean markerApplied;

  /**
   * @param projectId the one project to list, or null for every project (an admin's global list)
   * @param marker the row of the query's marker, or null
   */
  public StackListing(StackQuery query, String projectId, StackRow marker) {
    this.marker = marker;
    this.limit = query.limit();
    this.descending = query.sortDir() == null || !query.sortDir().equalsIgnoreCase("asc");
    if (projectId != null) {
      and("s.project_id = ?", projectId);
    }
    if (!query.showDeleted()) {
      and("s.deleted_at IS NULL");
    }
    Map<String, List<String>> filters = new LinkedHashMap<>(query.filters());
    List<String> parents = new ArrayList<>();
    parents.addAll(filters.getOrDefault("parent", List.of()));
    parents.addAll(filters.getOrDefault("owner_id", List.of()));
    if (!parents.isEmpty()) {
      in("s.parent_id", parents);
    } else if (!query.showNested()) {
      and("s.parent_id IS NULL");
    }
    in("s.name", filters.getOrDefault("name", List.of()));
    in("s.id", filters.getOrDefault("id", List.of()));
    in("s.action", filters.getOrDefault("action", List.of()));
    List<String> projects = new ArrayList<>(filters.getOrDefault("project_id", List.of()));
    projects.addAll(filters.getOrDefault("tenant", List.of()));
    in("s.project_id", projects);
    List<String> users = new ArrayList<>(filters.getOrDefault("username", List.of()));
    users.addAll(filters.getOrDefault("user_id", List.of()));
    in("s.user_id", users);
    statuses(filters.getOrDefault("status", List.of()));
    for (String tag : query.tags()) {
      and("EXISTS (SELECT 1 FROM heat_stack_tag t WHERE t.stack_id = s.id AND t.tag = ?)", tag);
    }
    if (!query.tagsAny().isEmpty()) {
      and("EXISTS (SELECT 1 FROM heat_stack_tag t WHERE t.stack_id = s.id AND t.tag IN "
          + dev.kiln.store.Sql.placeholders(query.tagsAny().size()) + ")", query.tagsAny().toArray());
    }
    if (!query.notTags().isEmpty()) {
      List<String> each = new ArrayList<>();
      for (int i = 0; i < query.notTags().size(); i++) {
        each.add("EXISTS (SELECT 1 FROM heat_stack_tag t WHERE t.stack_id = s.id AND t.tag = ?)");
      }
      and("NOT (" + String.join(" AND ", each) + ")", query.notTags().toArray());
    }
    List<String> excluded = new ArrayList<>(query.notTagsAny());
    if (!query.showHidden()) {
      excluded.addAll(HIDDEN_TAGS);
    }
    if (!excluded.isEmpty()) {
      and("NOT EXISTS (SELECT 1 FROM heat_stack_tag t WHERE t.stack_id = s.id AND t.tag IN "
          + dev.kiln.store.Sql.placeholders(excluded.size()) + ")", excluded.toArray());
    }
    for (String key : query.sortKeys()) {
      String column = SORT_COLUMNS.get(key);
      if (column != null && !orderColumns.contains(column)) {
        orderColumns.add(column);
      }
    }
    if (orderColumns.isEmpty()) {
      orderColumns.add("s.created_at");
    }
    orderColumns.add("s.id");
  }

  /** The sort keys this listing understands. */
  public static boolean sortable(String key) {
    return SORT_COLUMNS.containsKey(key);
  }

  String where() {
    return where.length() == 0 ? "" : " WHERE " + where;
  }

  /** The ORDER BY, and the marker's keyset condition folded into the WHERE, and the LIMIT. */
  String orderAndPage() {
    String dir = descending ? " DESC" : " ASC";
    StringBuilder sb = new StringBuilder(" ORDER BY ");
    for (int i = 0; i < orderColumns.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(orderColumns.get(i)).append(dir);
    }
    if (limit != null) {
      sb.append(" LIMIT ").append(Math.max(0, limit));
    }
    return sb.toString();
  }

  Object[] arguments() {
    return args.toArray();
  }

  /** Adds the marker's condition; called once by the store before listing. */
  StackListing afterMarker() {
    if (marker == null || markerApplied) {
      return this;
    }
    markerApplied = true;
    String op = descending ? " < " : " > ";
    List<String> ors = new ArrayList<>();
    List<Object> values = new ArrayList<>();
    for (int i = 0; i < orderColumns.size(); i++) {
      StringBuilder term = new StringBuilder("(");
      for (int j = 0; j < i; j++) {
        term.append(orderColumns.get(j)).append(" = ? AND ");
        values.add(markerValue(orderColumns.get(j)));
      }
      term.append(orderColumns.get(i)).append(op).append("?)");
      values.add(markerValue(orderColumns.get(i)));
      ors.add(term.toString());
    }
    and("(" + String.join(" OR ", ors) + ")", values.toArray());
    return this;
  }

  private Object markerValue(String column) {
    return switch (column) {
      case "s.name" -> marker.name();
      case "s.status" -> marker.status();
      case "s.created_at" -> marker.createdAt();
      case "COALESCE(s.updated_at, s.created_at)" ->
          marker.updatedAt() == null ? marker.createdAt() : marker.updatedAt();
      case "s.id" -> marker.id();
      default -> throw new IllegalStateException("no marker value for " + column);
    };
  }

  /** {@code COMPLETE} matches the status; {@code CREATE_COMPLETE} the action and the status. */
  private void statuses(List<String> values) {
    if (values.isEmpty()) {
      return;
    }
    List<String> ors = new ArrayList<>();
    List<Object> bound = new ArrayList<>();
    for (String value : values) {
      String split = null;
      for (String status : List.of("IN_PROGRESS", "COMPLETE", "FAILED")) {
        if (value.endsWith("_" + status)) {
          split = status;
        }
      }
      if (split == null) {
        ors.add("s.status = ?");
        bound.add(value);
      } else {
        ors.add("(s.action = ? AND s.status = ?)");
        bound.add(value.substring(0, value.length() - split.length() - 1));
        bound.add(split);
      }
    }
    and("(" + String.join(" OR ", ors) + ")", bound.toArray());
  }

  private void in(String column, List<String> values) {
    if (!values.isEmpty()) {
      and(column + " IN " + dev.kiln.store.Sql.placeholders(values.size()), values.toArray());
    }
  }

  private void and(String condition, Object... values) {
    if (where.length() > 0) {
      where.append(" AND ");
    }
    where.append(condition);
    args.addAll(java.util.Arrays.asList(values));
  }
}
