package dev.kiln.compute.fleet.store;

import static java.util.Objects.requireNonNull;

import dev.kiln.compute.fleet.DriverOperation;
import dev.kiln.compute.fleet.DriverSetting;
import dev.kiln.compute.fleet.FaultRule;
import dev.kiln.store.Sql;
import java.sql.SQLException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The {@code compute_driver_setting} table: latency and faults per driver operation. */
public final class DriverSettingStore {
  private static final String COLUMNS = "operation, latency_ms, fail_next, probability, host, message";

  private final Sql sql;

  public DriverSettingStore(Sql sql) {
    this.sql = requireNonNull(sql, "sql is null");
  }

  /** Inserts or replaces the operation's row. */
  public void put(DriverSetting setting) {
    FaultRule rule = setting.faults();
    sql.update(
        "INSERT INTO compute_driver_setting (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        setting.operation().apiName(), setting.latency().toMillis(), rule.failNext(), rule.probability(),
        rule.host(), rule.message());
    sql.update(
        "UPDATE compute_driver_setting SET latency_ms = ?, fail_next = ?, probability = ?, host = ?, message = ?"
            + " WHERE operation = ?",
        setting.latency().toMillis(), rule.failNext(), rule.probability(), rule.host(), rule.message(),
        setting.operation().apiName());
  }

  public Optional<DriverSetting> find(DriverOperation operation) {
    return sql.query(
            "SELECT " + COLUMNS + " FROM compute_driver_setting WHERE operation = ?",
            DriverSettingStore::setting,
            operation.apiName())
        .stream()
        .filter(Objects::nonNull)
        .findFirst();
  }

  public Map<DriverOperation, DriverSetting> all() {
    Map<DriverOperation, DriverSetting> out = new EnumMap<>(DriverOperation.class);
    for (DriverSetting s : sql.query("SELECT " + COLUMNS + " FROM compute_driver_setting", DriverSettingStore::setting)) {
      if (s != null) {
        out.put(s.operation(), s);
      }
    }
    return out;
  }

  /**
   * Takes one of the operation's pending failures, if there is one and the rule still names the
   * same host: one conditional update, so that racing calls take each failure once.
   */
  public boolean consumeFailure(DriverOperation operation, String host) {
    return host == null
        ? sql.update(
                "UPDATE compute_driver_setting SET fail_next = fail_next - 1"
                    + " WHERE operation = ? AND fail_next > 0 AND host IS NULL",
                operation.apiName())
            == 1
        : sql.update(
                "UPDATE compute_driver_setting SET fail_next = fail_next - 1"
                    + " WHERE operation = ? AND fail_next > 0 AND host = ?",
                operation.apiName(), host)
            == 1;
  }

  private static DriverSetting setting(Sql.Row row) throws SQLException {
    Optional<DriverOperation> op = DriverOperation.fromApiName(row.getString("operation"));
    if (op.isEmpty()) {
      return null; // an operation a newer Kiln knows; this one ignores it
    }
    return new DriverSetting(
        op.get(),
        Duration.ofMillis(row.getLong("latency_ms")),
        new FaultRule(row.getInt("fail_next"), Double.parseDouble(row.getString("probability")), row.getString("host"), row.getString("message")));
  }
}
