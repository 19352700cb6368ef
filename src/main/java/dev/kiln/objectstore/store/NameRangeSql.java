package dev.kiln.objectstore.store;

import dev.kiln.objectstore.NameRange;
import dev.kiln.store.Dialect;
import java.util.List;

/**
 * The WHERE tail, ORDER BY and LIMIT of a listing query. Swift orders names by their UTF-8 bytes;
 * on PostgreSQL that needs the "C" collation (a database's default collation may sort by locale
 * rules), on H2 strings compare by UTF-16 code units, which is the same order except between
 * characters beyond U+FFFF and those from U+E000 to U+FFFF.
 */
final class NameRangeSql {
  private NameRangeSql() {}

  static String tail(Dialect dialect, NameRange range, List<Object> args) {
    String name = dialect == Dialect.POSTGRESQL ? "name COLLATE \"C\"" : "name";
    StringBuilder sql = new StringBuilder();
    if (!range.prefix().isEmpty()) {
      sql.append(" AND name LIKE ? ESCAPE '!'");
      args.add(escapeLike(range.prefix()) + "%");
    }
    if (range.lower() != null) {
      sql.append(" AND ").append(name).append(range.lowerInclusive() ? " >= ?" : " > ?");
      args.add(range.lower());
    }
    if (range.upper() != null) {
      sql.append(" AND ").append(name).append(" < ?");
      args.add(range.upper());
    }
    sql.append(" ORDER BY ").append(name).append(range.descending() ? " DESC" : "").append(" LIMIT ?");
    args.add(range.limit());
    return sql.toString();
  }

  private static String escapeLike(String s) {
    return s.replace("!", "!!").replace("%", "!%").replace("_", "!_");
  }
}
