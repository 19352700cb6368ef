package dev.kiln.image;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What an image list asks for: which images (visibility, conditions on attributes and custom
 * properties, tags), in which order, and which page.
 *
 * @param visibility which visibilities to list; {@link VisibilityFilter#DEFAULT} is Glance's
 *     default (public, the caller's own and shared-with-the-caller images; not others' community
 *     images, not even for an admin)
 * @param conditions all must hold
 * @param tags the image must carry every one of these
 * @param hidden list the images hidden from the default list ({@code os_hidden=true}) instead of
 *     the others
 * @param sort the order; {@code created_at} and {@code id} are appended as tie-breakers
 * @param marker the id of the last image of the previous page, or null
 * @param limit at most this many images
 * @param memberStatus which of the shared images of other projects to list: those the caller's
 *     project is a member of with this status; all of them when null ({@code member_status=all})
 */
public record ImageQuery(
    VisibilityFilter visibility,
    List<Condition> conditions,
    List<String> tags,
    boolean hidden,
    List<SortKey> sort,
    String marker,
    int limit,
    MemberStatus memberStatus) {

  /** Glance's default page size (limit_param_default). */
  public static final int DEFAULT_LIMIT = 25;

  /** Glance's largest page (api_limit_max). */
  public static final int MAX_LIMIT = 1000;

  /** The attributes images may be sorted by. */
  public static final List<String> SORT_KEYS =
      List.of("name", "status", "container_format", "disk_format", "size", "id", "created_at", "updated_at");

  public ImageQuery {
    requireNonNull(visibility, "visibility is null");
    conditions = List.copyOf(conditions);
    tags = List.copyOf(tags);
    sort = List.copyOf(sort);
    limit = Math.min(limit, MAX_LIMIT);
  }

  /** A query for the shared images the caller accepted, Glance's default. */
  public ImageQuery(
      VisibilityFilter visibility,
      List<Condition> conditions,
      List<String> tags,
      boolean hidden,
      List<SortKey> sort,
      String marker,
      int limit) {
    this(visibility, conditions, tags, hidden, sort, marker, limit, MemberStatus.ACCEPTED);
  }

  /** Everything visible, default order, first page. */
  public static ImageQuery all() {
    return new ImageQuery(VisibilityFilter.DEFAULT, List.of(), List.of(), false, List.of(), null, MAX_LIMIT);
  }

  public enum VisibilityFilter {
    DEFAULT,
    ALL,
    PUBLIC,
    PRIVATE,
    SHARED,
    COMMUNITY
  }

  /** The comparison a condition makes. */
  public enum Operator {
    EQ,
    NEQ,
    IN,
    GT,
    GTE,
    LT,
    LTE
  }

  /**
   * One condition on a base attribute ({@code name}, {@code status}, {@code size}, {@code
   * created_at}, {@code protected}, …) or a custom property.
   *
   * @param values one value, or several for {@link Operator#IN}
   */
  public record Condition(String attribute, Operator op, List<String> values) {
    public Condition {
      requireNonNull(attribute, "attribute is null");
      requireNonNull(op, "op is null");
      values = List.copyOf(values);
    }
  }

  public record SortKey(String key, boolean ascending) {}
}
