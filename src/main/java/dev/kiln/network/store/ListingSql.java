package dev.kiln.network.store;

import static java.util.Objects.requireNonNull;

import dev.kiln.network.Listing;
import dev.kiln.store.Sql;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns a {@link Listing} into one SQL query over a resource's table: its filters as WHERE
 * conditions, the sort as ORDER BY (the id breaking ties, ascending, as the in-memory order does),
 * the marker as a keyset condition on the marker row's sort values, and the limit as LIMIT. It
 * answers the page's ids only; the caller loads those few rows with their child rows.
 *
 * <p>The conditions keep the in-memory filter's answers: a boolean matches {@code true}/{@code
 * false} in any case, an integer its decimal text, a NULL column the values "" and "None"; a
 * nullable text column sorts as "" (COALESCE), as a JSON null sorts there.
 */
final class ListingSql {
  private static final Pattern INTEGER = Pattern.compile("-?(0|[1-9][0-9]{0,17})");

  /** How a column's values compare with a filter's text. */
  enum Kind { TEXT, NULLABLE_TEXT, BOOLEAN, INTEGER }

  /** A listable attribute: the SQL expression (qualified with the table's alias) and its kind. */
  record Column(String expression, Kind kind) {
    String sortExpression() {
      return kind == Kind.NULLABLE_TEXT ? "COALESCE(" + expression + ", '')" : expression;
    }
  }

  private final String from;
  private final String alias;
  private final Map<String, Column> columns;
  private final boolean addresses;

  /**
   * @param from the FROM clause, a table with an alias ({@code network_port p})
   * @param alias that alias
   * @param columns the attributes a listing may filter and sort on
   * @param addresses whether the rows are ports, whose {@code fixed_ips} filters join their addresses
   */
  ListingSql(String from, String alias, Map<String, Column> columns, boolean addresses) {
    this.from = requireNonNull(from, "from is null");
    this.alias = requireNonNull(alias, "alias is null");
    this.columns = Map.copyOf(columns);
    this.addresses = addresses;
  }

  /**
   * The ids of the page, in the listing's order; empty when the listing has a marker that is none
   * of the rows the caller may see ({@code visibility}, unfiltered), as Neutron's MarkerNotFound.
   *
   * @param visibility a condition on the alias naming the rows the caller may see; "" for all
   */
  Optional<List<String>> page(Sql sql, String visibility, List<Object> visibilityArgs, Listing listing) {
    List<String> where = new ArrayList<>();
    List<Object> args = new ArrayList<>();
    if (!visibility.isEmpty()) {
      where.add("(" + visibility + ")");
      args.addAll(visibilityArgs);
    }
    listing.equals().forEach((attribute, values) -> where.add(equality(column(attribute), values, args)));
    tags(listing.tags(), where, args);
    if (!listing.addresses().isEmpty()) {
      if (!addresses) {
        throw new IllegalArgumentException("fixed_ips filters apply to ports only");
      }
      where.add(addressCondition(listing.addresses(), args));
    }
    List<Column> keys = new ArrayList<>();
    List<Boolean> descending = new ArrayList<>();
    for (Listing.Sort sort : listing.sorts()) {
      keys.add(column(sort.attribute()));
      descending.add(sort.descending() != listing.reverse());
    }
    keys.add(new Column(alias + ".id", Kind.TEXT));
    descending.add(listing.reverse());
    if (listing.marker() != null) {
      Optional<List<Object>> values = markerValues(sql, visibility, visibilityArgs, keys, listing.marker());
      if (values.isEmpty()) {
        return Optional.empty();
      }
      where.add(after(keys, descending, values.get(), args));
    }
    StringBuilder query = new StringBuilder("SELECT ").append(alias).append(".id FROM ").append(from);
    if (!where.isEmpty()) {
      query.append(" WHERE ").append(String.join(" AND ", where));
    }
    query.append(" ORDER BY ");
    String constant = constantColumn(listing);
    if (constant != null) {
      query.append(constant).append(descending.getFirst() ? " DESC, " : " ASC, ");
    }
    for (int i = 0; i < keys.size(); i++) {
      query.append(i == 0 ? "" : ", ").append(keys.get(i).sortExpression()).append(descending.get(i) ? " DESC" : " ASC");
    }
    if (listing.limit() != null) {
      query.append(" LIMIT ?");
      args.add(listing.limit());
    }
    List<String> ids = new ArrayList<>(sql.query(query.toString(), r -> r.getString("id"), args.toArray()));
    if (listing.reverse()) {
      Collections.reverse(ids); // read backwards from the marker; answered in the requested order
    }
    return Optional.of(ids);
  }

  /**
   * The column a listing filters to one value, when it filters just one that way: sorting on it
   * first changes no order (every row has that value) but lets the database walk an index on
   * (that column, id) in order and stop at the page's end, instead of reading every match and
   * sorting them (a page of 100 of a network's 10,000 ports). Only in the ORDER BY: the marker's
   * keyset condition stays on the listing's own keys.
   */
  private String constantColumn(Listing listing) {
    String found = null;
    for (Map.Entry<String, List<String>> filter : listing.equals().entrySet()) {
      Column column = column(filter.getKey());
      if (filter.getValue().size() != 1 || column.kind() != Kind.TEXT) {
        continue;
      }
      if (found != null && !found.equals(column.expression())) {
        return null; // two such filters: which index would serve is the planner's to find
      }
      found = column.expression();
    }
    return found;
  }

  private Column column(String attribute) {
    Column column = columns.get(attribute);
    if (column == null) {
      throw new IllegalArgumentException(attribute + " is not listable in SQL");
    }
    return column;
  }

  /** Whether every attribute is a column here. */
  boolean covers(Iterable<String> attributes) {
    for (String attribute : attributes) {
      if (!columns.containsKey(attribute)) {
        return false;
      }
    }
    return true;
  }

  private static String equality(Column column, List<String> values, List<Object> args) {
    List<Object> typed = new ArrayList<>();
    boolean orNull = false;
    for (String value : values) {
      switch (column.kind()) {
        case TEXT -> typed.add(value);
        case NULLABLE_TEXT -> {
          typed.add(value);
          orNull |= value.isEmpty() || value.equals("None");
        }
        case BOOLEAN -> {
          String lower = value.toLowerCase(Locale.ROOT);
          if (lower.equals("true") || lower.equals("false")) {
            typed.add(Boolean.parseBoolean(lower));
          }
        }
        case INTEGER -> {
          if (INTEGER.matcher(value).matches()) {
            typed.add(Long.parseLong(value));
          }
        }
      }
    }
    if (typed.isEmpty()) {
      return "1 = 0"; // no value this column can have: nothing matches
    }
    args.addAll(typed);
    String in = column.expression() + " IN " + Sql.placeholders(typed.size());
    return orNull ? "(" + in + " OR " + column.expression() + " IS NULL)" : in;
  }

  private void tags(Listing.TagFilter tags, List<String> where, List<Object> args) {
    if (!tags.all().isEmpty()) {
      where.add(allTags(tags.all(), args));
    }
    if (!tags.any().isEmpty()) {
      where.add(anyTag(tags.any(), args));
    }
    if (!tags.notAll().isEmpty()) {
      where.add("NOT (" + allTags(tags.notAll(), args) + ")");
    }
    if (!tags.notAny().isEmpty()) {
      where.add("NOT " + anyTag(tags.notAny(), args));
    }
  }

  private String allTags(List<String> tags, List<Object> args) {
    List<String> each = new ArrayList<>();
    for (String tag : tags) {
      each.add("EXISTS (SELECT 1 FROM network_tag t WHERE t.resource_id = " + alias + ".id AND t.tag = ?)");
      args.add(tag);
    }
    return String.join(" AND ", each);
  }

  private String anyTag(List<String> tags, List<Object> args) {
    args.addAll(tags);
    return "EXISTS (SELECT 1 FROM network_tag t WHERE t.resource_id = " + alias + ".id AND t.tag IN "
        + Sql.placeholders(tags.size()) + ")";
  }

  private String addressCondition(List<Listing.AddressFilter> filters, List<Object> args) {
    List<String> any = new ArrayList<>();
    for (Listing.AddressFilter f : filters) {
      switch (f.key()) {
        case "ip_address" -> any.add("a.ip_address = ?");
        case "subnet_id" -> any.add("a.subnet_id = ?");
        case "ip_address_substr" -> any.add("a.ip_address LIKE ? ESCAPE '\\'");
        default -> throw new IllegalArgumentException("no address filter on " + f.key());
      }
      args.add(f.key().equals("ip_address_substr") ? "%" + likeEscaped(f.value()) + "%" : f.value());
    }
    return "EXISTS (SELECT 1 FROM network_ip_allocation a WHERE a.port_id = " + alias + ".id AND ("
        + String.join(" OR ", any) + "))";
  }

  private static String likeEscaped(String text) {
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }

  /** The marker row's sort values, if the caller may see it. */
  private Optional<List<Object>> markerValues(
      Sql sql, String visibility, List<Object> visibilityArgs, List<Column> keys, String marker) {
    StringBuilder query = new StringBuilder("SELECT ");
    for (int i = 0; i < keys.size(); i++) {
      query.append(i == 0 ? "" : ", ").append(keys.get(i).sortExpression()).append(" AS k").append(i);
    }
    query.append(" FROM ").append(from).append(" WHERE ").append(alias).append(".id = ?");
    List<Object> args = new ArrayList<>();
    args.add(marker);
    if (!visibility.isEmpty()) {
      query.append(" AND (").append(visibility).append(")");
      args.addAll(visibilityArgs);
    }
    return sql.queryOne(
        query.toString(),
        r -> {
          List<Object> values = new ArrayList<>();
          for (int i = 0; i < keys.size(); i++) {
            values.add(switch (keys.get(i).kind()) {
              case TEXT, NULLABLE_TEXT -> r.getString("k" + i);
              case BOOLEAN -> r.getBoolean("k" + i);
              case INTEGER -> r.getLong("k" + i);
            });
          }
          return values;
        },
        args.toArray());
  }

  /** Rows after the marker in the order (before it when read backwards): a keyset condition. */
  private static String after(List<Column> keys, List<Boolean> descending, List<Object> marker, List<Object> args) {
    List<String> any = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      StringBuilder one = new StringBuilder("(");
      for (int j = 0; j < i; j++) {
        one.append(keys.get(j).sortExpression()).append(" = ? AND ");
        args.add(marker.get(j));
      }
      one.append(keys.get(i).sortExpression()).append(descending.get(i) ? " < ?" : " > ?").append(")");
      args.add(marker.get(i));
      any.add(one.toString());
    }
    return "(" + String.join(" OR ", any) + ")";
  }
}
