package dev.kiln.orchestration.resources;

import java.util.Locale;
import java.util.UUID;

/**
 * Heat's short ids: 12 lower-case base32 characters from the 60 random bits of a version 4 UUID's
 * time field, as {@code heat.common.short_id.get_id} derives them (so physical names look alike).
 */
public final class ShortId {
  private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();

  private ShortId() {}

  public static String of(String uuid) {
    UUID u = UUID.fromString(uuid);
    long msb = u.getMostSignificantBits();
    long timeLow = (msb >>> 32) & 0xffffffffL;
    long timeMid = (msb >>> 16) & 0xffffL;
    long timeHi = msb & 0x0fffL;
    long time = (timeHi << 48) | (timeMid << 32) | timeLow; // 60 bits
    // 60 bits padded with 4 zero bits to 64, base32 encoded: the first 12 characters carry 60 bits.
    long padded = time << 4;
    StringBuilder out = new StringBuilder(12);
    for (int i = 0; i < 12; i++) {
      int shift = 64 - 5 * (i + 1);
      int index = (int) ((padded >>> shift) & 0x1f);
      out.append(BASE32[index]);
    }
    return out.toString().toLowerCase(Locale.ROOT);
  }

  /** Heat's {@code <stack>-<resource>-<short id>}. */
  public static String physicalName(String stackName, String resourceName, String uuid) {
    String stack = stackName;
    while (stack.endsWith("*")) {
      stack = stack.substring(0, stack.length() - 1);
    }
    return stack + "-" + resourceName + "-" + of(uuid);
  }
}
