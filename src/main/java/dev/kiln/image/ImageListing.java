package dev.kiln.image;

import dev.kiln.common.Actor;
import dev.kiln.image.ImageQuery.Condition;
import dev.kiln.image.ImageQuery.SortKey;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** Evaluates an {@link ImageQuery} over the images an actor may see: filter, order, page. */
final class ImageListing {
  private ImageListing() {}

  /** One page of images and, when the page is full, the marker of the next one. */
  record Page(List<Image> images, String nextMarker) {}

  static Page select(Actor actor, ImageQuery query, List<Image> visible) {
    checkConditions(query.conditions());
    Comparator<Image> order = comparator(query.sort());
    Image marker = null;
    if (query.marker() != null) {
      marker =
          visible.stream()
              .filter(i -> i.id().equals(query.marker()))
              .findFirst()
              .orElseThrow(() -> ImageErrors.invalid("No image found with ID " + query.marker()));
    }
    List<Image> selected = new ArrayList<>();
    for (Image image : visible) {
      if (listed(actor, query, image)) {
        selected.add(image);
      }
    }
    selected.sort(order);
    int start = 0;
    if (marker != null) {
      while (start < selected.size() && order.compare(selected.get(start), marker) <= 0) {
        start++;
      }
    }
    int end = (int) Math.min(selected.size(), (long) start + query.limit());
    List<Image> page = List.copyOf(selected.subList(start, end));
    // As Glance: a full page has a next link, even when nothing follows it.
    String next = !page.isEmpty() && page.size() == query.limit() ? page.getLast().id() : null;
    return new Page(page, next);
  }

  private static boolean listed(Actor actor, ImageQuery query, Image image) {
    if (image.hidden() != query.hidden()) {
      return false;
    }
    boolean own = actor.projectId() != null && actor.projectId().equals(image.owner());
    boolean byVisibility =
        switch (query.visibility()) {
          // The caller sees every image given (the store chose them); Glance leaves others'
          // community images out of a list that names no visibility, even an admin's.
          case DEFAULT -> own || image.visibility() != Visibility.COMMUNITY;
          case ALL -> true;
          case PUBLIC -> image.visibility() == Visibility.PUBLIC;
          case PRIVATE -> image.visibility() == Visibility.PRIVATE;
          case SHARED -> image.visibility() == Visibility.SHARED;
          case COMMUNITY -> image.visibility() == Visibility.COMMUNITY;
        };
    if (!byVisibility || !image.tags().containsAll(query.tags())) {
      return false;
    }
    for (Condition c : query.conditions()) {
      if (!holds(c, image)) {
        return false;
      }
    }
    return true;
  }

  private static void checkConditions(List<Condition> conditions) {
    for (Condition c : conditions) {
      Kind kind = kind(c.attribute());
      if (kind == Kind.TEXT && c.op() != ImageQuery.Operator.EQ && c.op() != ImageQuery.Operator.NEQ
          && c.op() != ImageQuery.Operator.IN) {
        throw ImageErrors.invalid(
            "Unable to filter on '" + c.attribute() + "' with operator '"
                + c.op().name().toLowerCase(Locale.ROOT) + "': it only supports eq, neq and in.");
      }
      for (String v : c.values()) {
        parse(kind, c.attribute(), v);
      }
    }
  }

  private static boolean holds(Condition c, Image image) {
    Kind kind = kind(c.attribute());
    Comparable<?> actual = value(c.attribute(), image);
    return switch (c.op()) {
      case EQ -> actual != null && compare(actual, parse(kind, c.attribute(), c.values().getFirst())) == 0;
      case NEQ -> actual == null || compare(actual, parse(kind, c.attribute(), c.values().getFirst())) != 0;
      case IN -> actual != null && c.values().stream().anyMatch(v -> compare(actual, parse(kind, c.attribute(), v)) == 0);
      case GT -> actual != null && compare(actual, parse(kind, c.attribute(), c.values().getFirst())) > 0;
      case GTE -> actual != null && compare(actual, parse(kind, c.attribute(), c.values().getFirst())) >= 0;
      case LT -> actual != null && compare(actual, parse(kind, c.attribute(), c.values().getFirst())) < 0;
      case LTE -> actual != null && compare(actual, parse(kind, c.attribute(), c.values().getFirst())) <= 0;
    };
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static int compare(Comparable a, Comparable b) {
    return a.compareTo(b);
  }

  private enum Kind {
    TEXT,
    NUMBER,
    TIME,
    BOOLEAN
  }

  private static Kind kind(String attribute) {
    return switch (attribute) {
      case "size", "virtual_size", "min_disk", "min_ram" -> Kind.NUMBER;
      case "created_at", "updated_at" -> Kind.TIME;
      case "protected" -> Kind.BOOLEAN;
      default -> Kind.TEXT;
    };
  }

  private static Comparable<?> parse(Kind kind, String attribute, String raw) {
    return switch (kind) {
      case TEXT -> raw;
      case NUMBER -> {
        try {
          yield Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
          throw ImageErrors.invalid("Invalid value '" + raw + "' for filter '" + attribute + "': expected a whole number.");
        }
      }
      case TIME -> {
        try {
          yield OffsetDateTime.parse(raw.trim()).toInstant();
        } catch (DateTimeParseException e) {
          try {
            yield java.time.LocalDateTime.parse(raw.trim()).toInstant(java.time.ZoneOffset.UTC);
          } catch (DateTimeParseException e2) {
            throw ImageErrors.invalid(
                "Invalid value '" + raw + "' for filter '" + attribute
                    + "': expected an ISO 8601 time such as 2024-01-31T12:00:00Z.");
          }
        }
      }
      case BOOLEAN -> {
        if (!raw.equals("true") && !raw.equals("false")) {
          throw ImageErrors.invalid(
              "Invalid value '" + raw + "' for '" + attribute + "' filter. Valid values are 'true' or 'false'.");
        }
        yield Boolean.valueOf(raw);
      }
    };
  }

  /** The value an attribute or custom property has on an image, for filters and sorting. */
  private static Comparable<?> value(String attribute, Image image) {
    return switch (attribute) {
      case "id" -> image.id();
      case "name" -> image.name();
      case "status" -> image.status().apiName();
      case "visibility" -> image.visibility().apiName();
      case "owner" -> image.owner();
      case "disk_format" -> image.diskFormat();
      case "container_format" -> image.containerFormat();
      case "checksum" -> image.checksum();
      case "os_hash_algo" -> image.hashAlgo();
      case "os_hash_value" -> image.hashValue();
      case "size" -> image.size();
      case "virtual_size" -> image.virtualSize();
      case "min_disk" -> (long) image.minDisk();
      case "min_ram" -> (long) image.minRam();
      case "protected" -> image.protectedImage();
      case "os_hidden" -> image.hidden();
      case "created_at" -> image.createdAt();
      case "updated_at" -> image.updatedAt();
      default -> image.properties().get(attribute);
    };
  }

  /**
   * The requested order, then {@code created_at} and {@code id} (descending) as Glance adds them, so
   * the order is total and a marker is a well-defined place in it.
   */
  static Comparator<Image> comparator(List<SortKey> requested) {
    List<SortKey> keys = new ArrayList<>(requested);
    if (keys.isEmpty()) {
      keys.add(new SortKey("created_at", false));
    }
    if (keys.stream().noneMatch(k -> k.key().equals("created_at"))) {
      keys.add(new SortKey("created_at", false));
    }
    if (keys.stream().noneMatch(k -> k.key().equals("id"))) {
      keys.add(new SortKey("id", false));
    }
    Comparator<Image> order = null;
    for (SortKey key : keys) {
      Function<Image, Comparable<?>> extract = image -> value(key.key(), image);
      // Nulls sort first ascending, last descending, as on Glance's MySQL.
      Comparator<Image> one =
          (a, b) -> {
            Comparable<?> x = extract.apply(a);
            Comparable<?> y = extract.apply(b);
            if (x == null || y == null) {
              return x == null ? (y == null ? 0 : -1) : 1;
            }
            return compare(x, y);
          };
      if (!key.ascending()) {
        one = one.reversed();
      }
      order = order == null ? one : order.thenComparing(one);
    }
    return order;
  }
}
