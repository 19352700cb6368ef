package dev.kiln.identity;

/**
 * Keystone's {@code [trust]} settings Kiln has: {@code max_redelegation_count}, how long a chain
 * of redelegated trusts may grow (Keystone's default, 3). Set with the system property {@code
 * kiln.trust.max-redelegation-count} or the environment variable {@code
 * KILN_TRUST_MAX_REDELEGATION_COUNT}; read when Kiln starts.
 */
final class TrustSettings {
  static final int DEFAULT_MAX_REDELEGATION_COUNT = 3;
  static final String PROPERTY = "kiln.trust.max-redelegation-count";
  static final String VARIABLE = "KILN_TRUST_MAX_REDELEGATION_COUNT";

  private TrustSettings() {}

  static int maxRedelegationCount() {
    String value = System.getProperty(PROPERTY);
    String from = PROPERTY;
    if (value == null || value.isBlank()) {
      value = System.getenv(VARIABLE);
      from = VARIABLE;
    }
    if (value == null || value.isBlank()) {
      return DEFAULT_MAX_REDELEGATION_COUNT;
    }
    try {
      int max = Integer.parseInt(value.strip());
      if (max >= 0) {
        return max;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new IllegalArgumentException(from + " must be a whole number, 0 or more; it is '" + value + "'");
  }
}
