package dev.kiln.quota;

import static java.util.Objects.requireNonNull;

/**
 * What one operation asks of one quota, with what the owner already uses of it and its limit (-1:
 * no limit). Asking for nothing never exceeds, even an owner already over a lowered limit.
 */
public record Demand(String resource, long requested, long used, long limit) {
  public Demand {
    requireNonNull(resource, "resource is null");
    if (requested < 0) {
      throw new IllegalArgumentException("cannot ask for less than nothing of " + resource + ": " + requested);
    }
  }

  public boolean exceeds() {
    return limit >= 0 && requested > 0 && used + requested > limit;
  }
}
