package dev.kiln.quota;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The rules every service's quotas follow: a limit is the one set, else the default; -1 is no
 * limit; an operation takes all it asks for or nothing; a limit may not be set below what is in
 * use unless forced. Callers hold the owner's lock ({@link QuotaStore#lock}) around a check and
 * the writes it guards, so that two operations never both take the last place.
 */
public final class Quotas {
  private Quotas() {}

  /** {@code base} (which fixes the quotas and their order) with each value replaced by the set one, if any. */
  public static Map<String, Long> overlay(Map<String, Long> base, Map<String, Long> set) {
    Map<String, Long> out = new LinkedHashMap<>();
    base.forEach((resource, value) -> out.put(resource, set.getOrDefault(resource, value)));
    return out;
  }

  /** Refuses, in the service's style, when any demand would exceed its limit; otherwise does nothing. */
  public static void require(QuotaStyle style, List<Demand> demands) {
    List<Demand> overs = demands.stream().filter(Demand::exceeds).toList();
    if (!overs.isEmpty()) {
      throw style.overQuota(overs);
    }
  }

  /**
   * Refuses, in the service's style, the first change that would set a limit (other than -1) below
   * what is in use; nothing is changed then.
   */
  public static void requireNotBelowUsage(QuotaStyle style, Map<String, Long> changes, Function<String, Long> inUse) {
    for (Map.Entry<String, Long> change : changes.entrySet()) {
      long limit = change.getValue();
      long used = inUse.apply(change.getKey());
      if (limit != -1 && limit < used) {
        throw style.belowUsage(change.getKey(), limit, used);
      }
    }
  }
}
