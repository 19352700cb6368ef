package dev.kiln.compute.fleet;

import java.util.Locale;

/**
 * When the simulated driver makes an operation fail: the next {@code failNext} calls, and after
 * those each call with {@code probability}; only calls that involve {@code host} when one is
 * given. A failing call throws a {@link HypervisorException} with {@code message}, or a message
 * that says the failure was injected.
 *
 * @param host only calls on this compute host fail (for migrations: source or destination), or
 *     null for every host
 * @param message what the failure says, or null for Kiln's own message
 */
public record FaultRule(int failNext, double probability, String host, String message) {
  public static final FaultRule NONE = new FaultRule(0, 0.0, null, null);

  public FaultRule {
    if (failNext < 0) {
      throw new IllegalArgumentException("failNext must be 0 or more, got " + failNext);
    }
    if (!(probability >= 0.0 && probability <= 1.0)) {
      throw new IllegalArgumentException("probability must be between 0 and 1, got " + probability);
    }
    if (host != null && (host.isBlank() || host.length() > 255)) {
      throw new IllegalArgumentException("host must be 1 to 255 characters");
    }
    if (message != null && message.length() > 1024) {
      throw new IllegalArgumentException("message must be at most 1024 characters");
    }
  }

  public boolean injectsNothing() {
    return failNext == 0 && probability == 0.0;
  }

  /** Whether a call involving these hosts is subject to this rule. */
  public boolean appliesTo(String... hosts) {
    if (host == null) {
      return true;
    }
    for (String h : hosts) {
      if (host.equals(h)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Reads the {@code --compute-fault} form: {@code next:N} (the next N calls fail), {@code P} or
   * {@code probability:P} (each call fails with probability P, 0 to 1), either followed by
   * {@code @host} to limit the rule to one compute host.
   */
  public static FaultRule parse(String spec) {
    String text = spec.trim();
    String host = null;
    int at = text.indexOf('@');
    if (at >= 0) {
      host = text.substring(at + 1).trim();
      text = text.substring(0, at).trim();
    }
    String lower = text.toLowerCase(Locale.ROOT);
    try {
      if (lower.startsWith("next:")) {
        return new FaultRule(Integer.parseInt(lower.substring(5).trim()), 0.0, host, null);
      }
      String p = lower.startsWith("probability:") ? lower.substring(12).trim() : lower;
      return new FaultRule(0, Double.parseDouble(p), host, null);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "Cannot read the fault rule '" + spec + "': expected next:N, a probability between 0 and 1,"
              + " or probability:P, optionally followed by @host.");
    }
  }
}
