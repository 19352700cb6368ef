package dev.kiln.store;

import dev.kiln.store.MigrationScripts.Kind;
import dev.kiln.store.MigrationScripts.Script;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Answers, with one query, whether a database already ran every script this build ships, exactly
 * as shipped: then opening it needs no Flyway at all (Flyway's scan, parse and validation cost more
 * than the rest of a start on an existing data directory). Anything it does not recognise — a
 * pending script, a changed checksum, a failed or unknown history row, no history at all — answers
 * false, and Flyway, the authority, migrates or refuses as it always did.
 */
final class SchemaCheck {
  /** Flyway's default history table, in the connection's current schema. */
  static final String HISTORY_TABLE = "flyway_schema_history";

  private SchemaCheck() {}

  /** A row of Flyway's history. {@code version} is null for repeatable migrations. */
  record Applied(int rank, String version, String description, String type, Integer checksum, boolean success) {}

  static boolean isCurrent(DataSource dataSource, List<Script> shipped) {
    List<Applied> history;
    try (Connection c = dataSource.getConnection()) {
      history = read(c);
    } catch (SQLException e) {
      return false; // no history table yet: a new database, Flyway creates it
    }
    return isCurrent(history, shipped);
  }

  static boolean isCurrent(List<Applied> history, List<Script> shipped) {
    if (history.isEmpty() || shipped.isEmpty()) {
      return false;
    }
    Map<String, Script> versioned = new HashMap<>();
    Map<String, Script> baselines = new HashMap<>();
    Map<String, Script> repeatables = new HashMap<>();
    for (Script s : shipped) {
      Map<String, Script> byKey =
          switch (s.kind()) {
            case VERSIONED -> versioned;
            case BASELINE -> baselines;
            case REPEATABLE -> repeatables;
          };
      String key = s.kind() == Kind.REPEATABLE ? s.description() : s.version();
      if (byKey.put(key, s) != null) {
        return false; // two scripts with one version: Flyway refuses, let it say so
      }
    }
    Map<String, Integer> appliedVersions = new HashMap<>();
    Map<String, Applied> latestRepeatable = new HashMap<>();
    Version baseline = null;
    for (Applied row : history) {
      if (!row.success()) {
        return false;
      }
      switch (row.type()) {
        case "SQL" -> {
          if (row.version() == null) {
            latestRepeatable.merge(row.description(), row, (a, b) -> a.rank() > b.rank() ? a : b);
          } else {
            Script script = versioned.get(row.version());
            if (script == null || !Objects.equals(script.checksum(), row.checksum())) {
              return false;
            }
            appliedVersions.put(row.version(), row.checksum());
          }
        }
        case "TABLE", "SCHEMA" -> {
          // Flyway's notes that it created the history table or the schema: nothing to run.
        }
        case "SQL_BASELINE", "BASELINE" -> {
          if (row.type().equals("SQL_BASELINE")) {
            Script script = baselines.get(row.version());
            if (script == null || !Objects.equals(script.checksum(), row.checksum())) {
              return false;
            }
          }
          Version v = Version.parse(row.version());
          if (v == null) {
            return false;
          }
          baseline = baseline == null || v.compareTo(baseline) > 0 ? v : baseline;
        }
        default -> {
          return false; // a row kind this check does not know: leave it to Flyway
        }
      }
    }
    for (Script script : versioned.values()) {
      Version v = Version.parse(script.version());
      if (v == null) {
        return false;
      }
      boolean belowBaseline = baseline != null && v.compareTo(baseline) <= 0;
      if (!belowBaseline && !appliedVersions.containsKey(script.version())) {
        return false; // pending
      }
    }
    if (!latestRepeatable.keySet().equals(repeatables.keySet())) {
      return false;
    }
    for (Script script : repeatables.values()) {
      if (!Objects.equals(latestRepeatable.get(script.description()).checksum(), script.checksum())) {
        return false; // changed since it last ran: Flyway runs it again
      }
    }
    return true;
  }

  private static List<Applied> read(Connection c) throws SQLException {
    List<Applied> rows = new ArrayList<>();
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT installed_rank, version, description, type, checksum, success FROM "
                    + HISTORY_TABLE)) {
      while (rs.next()) {
        int checksum = rs.getInt("checksum");
        Integer nullableChecksum = rs.wasNull() ? null : checksum;
        rows.add(
            new Applied(
                rs.getInt("installed_rank"),
                rs.getString("version"),
                rs.getString("description"),
                rs.getString("type"),
                nullableChecksum,
                rs.getBoolean("success")));
      }
    }
    return rows;
  }

  /** A dotted version (1, 1.2, 19) compared part by part as numbers, as Flyway orders them. */
  record Version(List<Long> parts) implements Comparable<Version> {
    static Version parse(String text) {
      if (text == null || text.isEmpty()) {
        return null;
      }
      List<Long> parts = new ArrayList<>();
      for (String part : text.split("\\.")) {
        try {
          parts.add(Long.parseLong(part));
        } catch (NumberFormatException e) {
          return null;
        }
      }
      return new Version(List.copyOf(parts));
    }

    @Override
    public int compareTo(Version other) {
      for (int i = 0; i < Math.max(parts.size(), other.parts.size()); i++) {
        long a = i < parts.size() ? parts.get(i) : 0;
        long b = i < other.parts.size() ? other.parts.get(i) : 0;
        if (a != b) {
          return Long.compare(a, b);
        }
      }
      return 0;
    }
  }
}
