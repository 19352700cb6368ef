package dev.kiln.quota;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;

/**
 * Where a service keeps its quotas: a table of limits ({@code owner column, resource,
 * hard_limit}) and a table of lock rows ({@code lock column} only), one row per owner, which
 * reservations and limit changes lock so that they take turns. A service that locks another row
 * of its own (Cinder locks its tracked usage row) gives no lock table. The names are the service's
 * own constants; they are checked to be plain identifiers because they become part of SQL.
 */
public record QuotaTables(String limitTable, String ownerColumn, String lockTable, String lockColumn) {
  private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");

  public QuotaTables {
    requireIdentifier(requireNonNull(limitTable, "limitTable is null"));
    requireIdentifier(requireNonNull(ownerColumn, "ownerColumn is null"));
    if ((lockTable == null) != (lockColumn == null)) {
      throw new IllegalArgumentException("a lock table needs its column, and only then");
    }
    if (lockTable != null) {
      requireIdentifier(lockTable);
      requireIdentifier(lockColumn);
    }
  }

  /** Limits only: the service locks its own row around reservations and limit changes. */
  public static QuotaTables limitsOnly(String limitTable, String ownerColumn) {
    return new QuotaTables(limitTable, ownerColumn, null, null);
  }

  private static void requireIdentifier(String name) {
    if (!IDENTIFIER.matcher(name).matches()) {
      throw new IllegalArgumentException("not a plain SQL identifier: " + name);
    }
  }
}
