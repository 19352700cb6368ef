package dev.kiln.http;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The requests a token may make. Most tokens may make any; a token issued with an application
 * credential that has access rules may make only those a rule allows: one whose service is a
 * catalog type of the service asked, whose method is the request's and whose path template
 * matches the request's path below the service's mount ({@link AccessRulePath}), as
 * keystonemiddleware checks them in every OpenStack service.
 *
 * <p>One exception, Keystone's too: a token may always be validated ({@code GET
 * /v3/auth/tokens} on Identity), whatever its rules.
 */
public final class AllowedRequests {
  /** Any request: tokens without access rules. */
  public static final AllowedRequests ANY = new AllowedRequests(null);

  private final List<Rule> rules;

  /** One access rule: a catalog service type, an HTTP method and a path template. */
  public record Rule(String service, String method, String path) {
    public Rule {
      requireNonNull(service, "service is null");
      requireNonNull(method, "method is null");
      requireNonNull(path, "path is null");
    }
  }

  private AllowedRequests(List<Rule> rules) {
    this.rules = rules;
  }

  /** Only the requests these rules allow; no rules at all means any request, as in Keystone. */
  public static AllowedRequests only(List<Rule> rules) {
    return rules.isEmpty() ? ANY : new AllowedRequests(List.copyOf(rules));
  }

  /** Whether any request is allowed. */
  public boolean unrestricted() {
    return rules == null;
  }

  /**
   * Whether a request to the service mounted at {@code mount} (null: a service that names no
   * catalog type, which no restricted token may call) may be made.
   *
   * @param path the request's full path, mount prefix included, as it arrived
   */
  public boolean allow(ServiceMount mount, String method, String path) {
    if (rules == null) {
      return true;
    }
    if (mount == null) {
      return false;
    }
    String below = mount.below(path);
    if (mount.types().contains("identity") && method.equals("GET") && below.endsWith("/v3/auth/tokens")) {
      return true;
    }
    for (Rule rule : rules) {
      if (rule.method().equals(method)
          && mount.types().contains(rule.service())
          && AccessRulePath.matches(rule.path(), below)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return rules == null ? "AllowedRequests[any]" : "AllowedRequests" + rules;
  }
}
