package dev.kiln.orchestration.api;

import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.orchestration.StackQuery;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns {@code GET /stacks}' query into a {@link StackQuery} as Heat's API and engine read it:
 * filters under their API names and their older aliases ({@code stack_name} and {@code name} are
 * one filter), a {@code status} such as {@code CREATE_FAILED} split into action and status, the
 * sort keys Heat knows (others are dropped, as Heat drops them), tags as comma-separated lists.
 */
final class StackListQuery {
  /** API filter name to the service's name for it. */
  private static final Map<String, String> FILTERS = new LinkedHashMap<>();

  static {
    FILTERS.put("id", "id");
    FILTERS.put("name", "name");
    FILTERS.put("stack_name", "name");
    FILTERS.put("status", "status");
    FILTERS.put("stack_status", "status");
    FILTERS.put("action", "action");
    FILTERS.put("stack_action", "action");
    FILTERS.put("tenant", "tenant");
    FILTERS.put("username", "username");
    FILTERS.put("stack_owner", "username");
    FILTERS.put("owner_id", "owner_id");
    FILTERS.put("parent", "owner_id");
  }

  /** Filters Heat has that Kiln does not: refused, so a list never claims to filter and not. */
  private static final List<String> UNSUPPORTED_FILTERS =
      List.of("stack_status_reason", "disable_rollback", "timeout_mins", "stack_user_project_id");

  private static final Set<String> SORT_KEYS =
      Set.of("stack_name", "stack_status", "creation_time", "updated_time");
  private static final List<String> STATUSES = List.of("COMPLETE", "FAILED", "IN_PROGRESS");

  private StackListQuery() {}

  static StackQuery from(ApiRequest request, boolean globalTenant) {
    for (String unsupported : UNSUPPORTED_FILTERS) {
      if (!HeatParams.all(request, unsupported).isEmpty()) {
        throw ApiError.badRequest(
            "Kiln does not filter stacks on '" + unsupported + "'; the filters it takes are "
                + String.join(", ", FILTERS.keySet()) + ".");
      }
    }
    Map<String, List<String>> filters = new LinkedHashMap<>();
    FILTERS.forEach((param, field) -> {
      List<String> values = HeatParams.all(request, param);
      if (!values.isEmpty()) {
        filters.computeIfAbsent(field, f -> new ArrayList<>()).addAll(values);
      }
    });
    splitStatus(filters);
    List<String> sortKeys =
        request.queryAll("sort_keys").stream()
            .flatMap(k -> List.of(k.split(",")).stream())
            .filter(SORT_KEYS::contains)
            .toList();
    return new StackQuery(
        filters,
        tags(request, "tags"),
        tags(request, "tags_any"),
        tags(request, "not_tags"),
        tags(request, "not_tags_any"),
        sortKeys,
        HeatParams.sortDir(request),
        HeatParams.nonNegativeInt(request, "limit").orElse(null),
        request.query("marker").filter(m -> !m.isEmpty()).orElse(null),
        HeatParams.bool(request, "show_deleted", false),
        HeatParams.bool(request, "show_nested", false),
        globalTenant,
        HeatParams.bool(request, "show_hidden", false));
  }

  /**
   * A status filter may name the action too ({@code CREATE_COMPLETE}): the part before the status
   * becomes an action filter, as Heat's engine reads it.
   */
  private static void splitStatus(Map<String, List<String>> filters) {
    List<String> given = filters.get("status");
    if (given == null) {
      return;
    }
    Set<String> statuses = new LinkedHashSet<>();
    Set<String> actions = new LinkedHashSet<>();
    for (String value : given) {
      for (String status : STATUSES) {
        int at = value.lastIndexOf(status);
        if (at >= 0) {
          statuses.add(value.substring(at));
          if (at > 1) {
            actions.add(value.substring(0, at - 1));
          }
          break;
        }
      }
    }
    // Values that name no status match no stack; kept as given so the filter still filters.
    filters.put("status", statuses.isEmpty() ? given : List.copyOf(statuses));
    if (!actions.isEmpty()) {
      actions.addAll(filters.getOrDefault("action", List.of()));
      filters.put("action", List.copyOf(actions));
    }
  }

  private static List<String> tags(ApiRequest request, String name) {
    return request.query(name).filter(v -> !v.isEmpty()).map(HeatParams::tags).orElse(List.of());
  }
}
