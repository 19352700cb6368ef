package dev.kiln.network;

import dev.kiln.common.ServiceException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A Neutron list request that the database answers whole: equality filters on plain attributes,
 * tag filters, address filters (ports' {@code fixed_ips}), the sort, and the page. The API layer
 * builds one only when every part of the request maps to a column, so the rows the database
 * answers are exactly those Neutron's own SQL paging would give; anything else is filtered over
 * the rendered resources instead.
 *
 * @param equals attribute to the values it may have (a repeated parameter means any of them)
 * @param addresses {@code fixed_ips} filters, any of which may match one of a port's addresses
 * @param tags the standard-attr-tag filters
 * @param sorts the sort keys in order; the id always breaks ties, ascending
 * @param limit the page size, null for no limit
 * @param marker the id the page starts after (or ends before, with {@code reverse}); null for none
 * @param reverse Neutron's {@code page_reverse}: the page just before the marker
 */
public record Listing(
    Map<String, List<String>> equals,
    List<AddressFilter> addresses,
    TagFilter tags,
    List<Sort> sorts,
    Integer limit,
    String marker,
    boolean reverse) {

  public Listing {
    equals = Map.copyOf(equals);
    addresses = List.copyOf(addresses);
    sorts = List.copyOf(sorts);
  }

  /** One sort key. */
  public record Sort(String attribute, boolean descending) {}

  /**
   * A {@code fixed_ips=key=value} filter: {@code key} is {@code subnet_id}, {@code ip_address} or
   * {@code ip_address_substr} (ip-substring-filtering).
   */
  public record AddressFilter(String key, String value) {}

  /** Neutron's four tag filters; each an empty list when not given. */
  public record TagFilter(List<String> all, List<String> any, List<String> notAll, List<String> notAny) {
    public static final TagFilter NONE = new TagFilter(List.of(), List.of(), List.of(), List.of());

    public TagFilter {
      all = List.copyOf(all);
      any = List.copyOf(any);
      notAll = List.copyOf(notAll);
      notAny = List.copyOf(notAny);
    }
  }

  /** Neutron's answer to a marker that is none of the resources the caller may see. */
  public ServiceException markerNotFound() {
    return ServiceException.invalid("MarkerNotFound", "Marker " + marker + " could not be found.");
  }

  /** The page for a caller who may see nothing (a token scoped to no project). */
  static <T> List<T> nothingVisible(Listing listing) {
    if (listing.marker() != null) {
      throw listing.markerNotFound();
    }
    return List.of();
  }

  /** The rows in the order of {@code ids} (the page's order); an id whose row went since is left out. */
  static <T> List<T> inOrder(List<String> ids, List<T> rows, Function<T, String> id) {
    Map<String, T> byId = new HashMap<>();
    rows.forEach(row -> byId.put(id.apply(row), row));
    List<T> out = new ArrayList<>(ids.size());
    for (String one : ids) {
      T row = byId.get(one);
      if (row != null) {
        out.add(row);
      }
    }
    return out;
  }
}
