package dev.kiln.compute.fleet;

import static java.util.Objects.requireNonNull;

import dev.kiln.compute.fleet.store.DriverSettingStore;
import dev.kiln.store.Database;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The simulated driver's latency and fault injection, one {@link DriverSetting} per operation,
 * kept in the database so that every node sees the same settings and a "fail the next N calls"
 * rule fails exactly N calls, whichever node makes them. Each start applies the configuration
 * ({@link #apply}); the {@code os-kiln-faults} admin API changes settings while Kiln runs.
 */
public final class DriverSettings {
  /**
   * What one call does: wait {@code latency}, then fail when {@code failure} is not null (an empty
   * failure means "use the driver's own message").
   */
  public record Outcome(Duration latency, String failure) {}

  private final Database db;
  private final RandomGenerator random;
  private final Map<DriverOperation, Duration> configuredLatencies;

  /**
   * @param random draws the probabilistic failures; must be safe for use by several threads
   * @param configuredLatencies the latencies a reset returns to
   */
  public DriverSettings(Database db, RandomGenerator random, Map<DriverOperation, Duration> configuredLatencies) {
    this.db = requireNonNull(db, "db is null");
    this.random = requireNonNull(random, "random is null");
    this.configuredLatencies = Map.copyOf(configuredLatencies);
  }

  /**
   * Writes the configured latency and faults of every operation, replacing earlier changes. Only
   * the settings that differ are written: a restart with the same configuration writes nothing.
   */
  public void apply(FleetConfig config) {
    db.inTransaction(
        sql -> {
          DriverSettingStore store = new DriverSettingStore(sql);
          Map<DriverOperation, DriverSetting> stored = store.all();
          for (DriverOperation op : DriverOperation.values()) {
            DriverSetting wanted =
                new DriverSetting(op, config.latencies().get(op), config.faults().getOrDefault(op, FaultRule.NONE));
            if (!sameSetting(wanted, stored.get(op))) {
              store.put(wanted);
            }
          }
          return null;
        });
  }

  /**
   * Field by field rather than the records' own equals: theirs is bootstrapped on first use, ~8 ms
   * of each start for comparisons made once.
   */
  private static boolean sameSetting(DriverSetting wanted, DriverSetting stored) {
    if (stored == null || !wanted.latency().equals(stored.latency())) {
      return false;
    }
    FaultRule a = wanted.faults();
    FaultRule b = stored.faults();
    return a.failNext() == b.failNext()
        && Double.compare(a.probability(), b.probability()) == 0
        && Objects.equals(a.host(), b.host())
        && Objects.equals(a.message(), b.message());
  }

  /** Every operation's setting, in {@link DriverOperation} order. */
  public List<DriverSetting> list() {
    Map<DriverOperation, DriverSetting> stored = store().all();
    List<DriverSetting> out = new ArrayList<>();
    for (DriverOperation op : DriverOperation.values()) {
      out.add(stored.getOrDefault(op, unset(op)));
    }
    return out;
  }

  public DriverSetting get(DriverOperation operation) {
    requireNonNull(operation, "operation is null");
    return store().find(operation).orElseGet(() -> unset(operation));
  }

  /** Replaces one operation's setting. */
  public DriverSetting put(DriverSetting setting) {
    requireNonNull(setting, "setting is null");
    store().put(setting);
    return setting;
  }

  /** Back to the configured latency and no faults. */
  public DriverSetting reset(DriverOperation operation) {
    return put(unset(operation));
  }

  public void resetAll() {
    for (DriverOperation op : DriverOperation.values()) {
      reset(op);
    }
  }

  /**
   * Decides one call of {@code operation} involving {@code hosts}: a pending "next N" failure is
   * consumed with one conditional update, so N calls fail however many race; otherwise the rule's
   * probability decides.
   */
  public Outcome decide(DriverOperation operation, String... hosts) {
    DriverSetting setting = get(operation);
    FaultRule rule = setting.faults();
    String failure = null;
    if (!rule.injectsNothing() && rule.appliesTo(hosts)) {
      String message = rule.message() == null ? "" : rule.message();
      if (rule.failNext() > 0 && store().consumeFailure(operation, rule.host())) {
        failure = message;
      } else if (rule.probability() > 0.0 && random.nextDouble() < rule.probability()) {
        failure = message;
      }
    }
    return new Outcome(setting.latency(), failure);
  }

  private DriverSetting unset(DriverOperation op) {
    return new DriverSetting(op, configuredLatencies.getOrDefault(op, Duration.ZERO), FaultRule.NONE);
  }

  private DriverSettingStore store() {
    return new DriverSettingStore(db.sql());
  }
}
