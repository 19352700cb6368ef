package dev.kiln.identity;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Equality filters on known columns, for listing identity records. Column names come from code,
 * never from a request, so the store may splice them into SQL.
 */
public final class ListFilter {
  private final List<String> clauses = new ArrayList<>();
  private final List<Object> args = new ArrayList<>();

  public static ListFilter none() {
    return new ListFilter();
  }

  public ListFilter eq(String column, Object value) {
    if (value != null) {
      if (!column.matches("[a-z_]+")) {
        throw new IllegalArgumentException("bad column name " + column);
      }
      clauses.add(column + " = ?");
      args.add(value instanceof Enum<?> e ? e.name() : value);
    }
    return this;
  }

  /** Keeps only rows where the column is null (Keystone's global roles have no domain). */
  public ListFilter isNull(String column) {
    if (!column.matches("[a-z_]+")) {
      throw new IllegalArgumentException("bad column name " + column);
    }
    clauses.add(column + " IS NULL");
    return this;
  }

  public String where() {
    return clauses.isEmpty() ? "" : " WHERE " + String.join(" AND ", clauses);
  }

  public Object[] args() {
    return args.toArray();
  }

  @Override
  public String toString() {
    return where().toLowerCase(Locale.ROOT) + " " + args;
  }
}
