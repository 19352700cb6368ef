package dev.kiln.orchestration;

import java.util.List;
import java.util.Map;

/**
 * A stack list's filters, sort and page, as {@code GET /stacks} takes them.
 *
 * @param filters attribute to accepted values: {@code name}, {@code id}, {@code status}, {@code
 *     action}, {@code project_id}/{@code tenant}, {@code username}, {@code owner_id}, {@code
 *     parent}
 * @param sortKeys among {@code stack_name}, {@code stack_status}, {@code creation_time}, {@code
 *     updated_time}; empty for Heat's default (newest first)
 * @param sortDir {@code asc} or {@code desc}
 * @param limit at most this many, or null
 * @param marker the id of the last stack of the previous page, or null
 */
public record StackQuery(
    Map<String, List<String>> filters,
    List<String> tags,
    List<String> tagsAny,
    List<String> notTags,
    List<String> notTagsAny,
    List<String> sortKeys,
    String sortDir,
    Integer limit,
    String marker,
    boolean showDeleted,
    boolean showNested,
    boolean globalTenant,
    boolean showHidden) {

  public StackQuery {
    filters = Map.copyOf(filters);
    tags = List.copyOf(tags);
    tagsAny = List.copyOf(tagsAny);
    notTags = List.copyOf(notTags);
    notTagsAny = List.copyOf(notTagsAny);
    sortKeys = List.copyOf(sortKeys);
  }
}
