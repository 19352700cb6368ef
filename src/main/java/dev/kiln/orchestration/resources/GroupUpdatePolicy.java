package dev.kiln.orchestration.resources;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.common.ServiceException;
import java.time.Duration;
import java.util.Set;

/**
 * A resource group's {@code update_policy}, as Heat's ResourceGroup reads it: {@code
 * rolling_update} (how a change of {@code resource_def} reaches the members, a batch at a time) and
 * {@code batch_create} (how the first members are made, a batch at a time). Either may be absent
 * (null); a given one has Heat's defaults filled in.
 */
public record GroupUpdatePolicy(Batching rollingUpdate, Batching batchCreate) {
  private static final Set<String> SECTIONS = Set.of("rolling_update", "batch_create");

  /**
   * One batching section.
   *
   * @param minInService members kept in service while a rolling update runs (0 for batch_create)
   * @param maxBatchSize members changed (or made) at once, at least 1
   * @param pauseSeconds the wait between two batches, at least 0
   */
  public record Batching(int minInService, int maxBatchSize, double pauseSeconds) {
    public Duration pause() {
      return Duration.ofMillis(Math.round(pauseSeconds * 1000));
    }
  }

  /** No policy: members are made and changed all at once. */
  public static final GroupUpdatePolicy NONE = new GroupUpdatePolicy(null, null);

  /**
   * Reads a resolved update policy (null, JSON null or an empty object: none).
   *
   * @throws ServiceException INVALID (StackValidationFailed) naming the key that is wrong
   */
  public static GroupUpdatePolicy of(JsonNode policy) {
    if (policy == null || policy.isNull() || policy.isMissingNode() || (policy.isObject() && policy.isEmpty())) {
      return NONE;
    }
    if (!policy.isObject()) {
      throw refused("update_policy must be a map");
    }
    policy.fieldNames().forEachRemaining(key -> {
      if (!SECTIONS.contains(key)) {
        throw refused("Unknown Property " + key);
      }
    });
    return new GroupUpdatePolicy(
        section(policy.get("rolling_update"), "rolling_update", true),
        section(policy.get("batch_create"), "batch_create", false));
  }

  private static Batching section(JsonNode section, String name, boolean rolling) {
    if (section == null || section.isNull()) {
      return null;
    }
    if (!section.isObject()) {
      throw refused("Property error: " + name + ": Value must be a map");
    }
    Set<String> keys = rolling ? Set.of("min_in_service", "max_batch_size", "pause_time") : Set.of("max_batch_size", "pause_time");
    section.fieldNames().forEachRemaining(key -> {
      if (!keys.contains(key)) {
        throw refused("Property error: " + name + ": Unknown Property " + key);
      }
    });
    int minInService = (int) number(section, name, "min_in_service", 0, 0, true);
    int maxBatchSize = (int) number(section, name, "max_batch_size", 1, 1, true);
    double pause = number(section, name, "pause_time", 0, 0, false);
    return new Batching(minInService, maxBatchSize, pause);
  }

  /** A number (a numeric string too, as Heat's properties take them), at least {@code min}. */
  private static double number(JsonNode section, String name, String key, double otherwise, double min, boolean integer) {
    JsonNode value = section.get(key);
    if (value == null || value.isNull()) {
      return otherwise;
    }
    double n;
    try {
      n = value.isNumber() ? value.doubleValue() : Double.parseDouble(value.asText().strip());
    } catch (NumberFormatException e) {
      throw refused("Property error: " + name + "." + key + ": Value '" + value.asText() + "' is not an "
          + (integer ? "integer" : "number"));
    }
    if (integer && n != Math.rint(n)) {
      throw refused("Property error: " + name + "." + key + ": Value '" + value.asText() + "' is not an integer");
    }
    if (n < min) {
      throw refused("Property error: " + name + "." + key + ": " + (integer ? Long.toString((long) n) : value.asText())
          + " is out of range (min: " + (long) min + ", max: None)");
    }
    return n;
  }

  private static ServiceException refused(String message) {
    return ServiceException.invalid("StackValidationFailed", message);
  }
}
