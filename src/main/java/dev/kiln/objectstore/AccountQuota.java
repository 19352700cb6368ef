package dev.kiln.objectstore;


/**
 * Swift's account quotas: {@code X-Account-Meta-Quota-Bytes} caps the bytes an account may hold.
 * Only a reseller admin (Keystone's {@code ResellerAdmin} role) sets or removes it; an upload that
 * would take the account over it is refused with 413.
 */
public final class AccountQuota {
  /** The account metadata name that holds the quota. */
  public static final String KEY = "quota-bytes";

  private AccountQuota() {}

  /** Whether a metadata change touches the quota. */
  public static boolean touches(Metadata.Update update) {
    return update.set().containsKey(KEY) || update.remove().contains(KEY);
  }

  /** Checks a quota being set: a whole number of bytes, not negative; an empty value removes it. */
  public static void checkValue(Metadata.Update update) {
    String value = update.set().get(KEY);
    if (value == null || value.isEmpty()) {
      return;
    }
    try {
      if (Long.parseLong(value) >= 0) {
        return;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw Refusal.badRequest("Invalid bytes quota: '" + value + "'; a quota is a whole number of bytes.");
  }

  /** The account's quota in bytes, or -1 for none. */
  public static long of(Metadata accountMetadata) {
    String value = accountMetadata.get(KEY);
    if (value == null || value.isEmpty()) {
      return -1;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      return -1; // never stored: checked on the way in
    }
  }

  /** Refuses (413) a change that takes the account's bytes from {@code used} by {@code delta} over {@code quota}. */
  public static void check(long quota, long used, long delta) {
    if (quota >= 0 && delta > 0 && used + delta > quota) {
      throw new Refusal(Refusal.Kind.TOO_LARGE, "Upload exceeds quota.");
    }
  }

}
