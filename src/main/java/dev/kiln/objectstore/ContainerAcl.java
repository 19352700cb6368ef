package dev.kiln.objectstore;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A container's ACLs as Swift's keystoneauth reads them. The read ACL ({@code X-Container-Read})
 * lets others read its objects and list it; the write ACL ({@code X-Container-Write}) lets them put,
 * post and delete its objects (never change the container). An element is {@code
 * <project>:<user>}, each side an id, a name or {@code *}; in a read ACL also {@code .r:*} (anyone,
 * without a token, may read objects), {@code .r:<host>} (requests whose Referer is that host, or
 * below it when the host starts with a dot), {@code .r:-<host>} (not those) and {@code .rlistings}
 * (those referrers may list too).
 */
public record ContainerAcl(String read, String write) {
  public static final ContainerAcl NONE = new ContainerAcl(null, null);

  /** Who asks: null fields for an anonymous request. */
  public record Requester(String projectId, String projectName, String userId, String userName) {
    public static final Requester ANONYMOUS = new Requester(null, null, null, null);

    boolean anonymous() {
      return userId == null;
    }
  }

  /** A change to the ACLs from a PUT or POST: null leaves one as it is, empty removes it. */
  public record Update(String read, String write) {
    public static final Update NONE = new Update(null, null);

    public Update {
      read = read == null ? null : clean(read, true);
      write = write == null ? null : clean(write, false);
    }

    public ContainerAcl applyTo(ContainerAcl acl) {
      return new ContainerAcl(
          read == null ? acl.read() : read.isEmpty() ? null : read,
          write == null ? acl.write() : write.isEmpty() ? null : write);
    }

    public boolean isEmpty() {
      return read == null && write == null;
    }
  }

  /** May the requester read an object (GET, HEAD)? */
  public boolean allowsRead(Requester who, String referer) {
    return matchesUser(read, who) || referrerAllowed(referer);
  }

  /** May the requester list the container (GET, HEAD of the container)? */
  public boolean allowsListing(Requester who, String referer) {
    return matchesUser(read, who) || (elements(read).contains(".rlistings") && referrerAllowed(referer));
  }

  /** May the requester put, post or delete an object? */
  public boolean allowsWrite(Requester who) {
    return matchesUser(write, who);
  }

  private boolean referrerAllowed(String referer) {
    String host = refererHost(referer);
    boolean allowed = false;
    for (String e : elements(read)) {
      if (!e.startsWith(".r:")) {
        continue;
      }
      String rule = e.substring(3);
      boolean deny = rule.startsWith("-");
      String pattern = deny ? rule.substring(1) : rule;
      boolean matches = pattern.equals("*")
          || (host != null && (pattern.startsWith(".") ? host.endsWith(pattern) || host.equals(pattern.substring(1))
              : host.equals(pattern)));
      if (matches) {
        allowed = !deny;
      }
    }
    return allowed;
  }

  private static boolean matchesUser(String acl, Requester who) {
    if (who.anonymous()) {
      return false;
    }
    for (String e : elements(acl)) {
      int colon = e.indexOf(':');
      if (e.startsWith(".") || colon < 0) {
        continue;
      }
      String project = e.substring(0, colon);
      String user = e.substring(colon + 1);
      if (side(project, who.projectId(), who.projectName()) && side(user, who.userId(), who.userName())) {
        return true;
      }
    }
    return false;
  }

  private static boolean side(String element, String id, String name) {
    return element.equals("*") || element.equals(id) || (name != null && element.equals(name));
  }

  private static List<String> elements(String acl) {
    List<String> out = new ArrayList<>();
    if (acl == null) {
      return out;
    }
    for (String part : acl.split(",")) {
      String e = part.strip();
      if (!e.isEmpty()) {
        out.add(e);
      }
    }
    return out;
  }

  private static String refererHost(String referer) {
    if (referer == null) {
      return null;
    }
    try {
      String host = java.net.URI.create(referer.strip()).getHost();
      return host == null ? null : host.toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Swift's clean_acl: elements trimmed, referrer rules only in a read ACL and never empty. */
  private static String clean(String value, boolean readAcl) {
    List<String> kept = new ArrayList<>();
    for (String e : elements(value)) {
      if (e.startsWith(".r:") || e.startsWith(".ref:") || e.startsWith(".referer:") || e.startsWith(".referrer:")) {
        if (!readAcl) {
          throw Refusal.badRequest("Referrers not allowed in write ACL: '" + e + "'.");
        }
        String rule = e.substring(e.indexOf(':') + 1).strip();
        if (rule.isEmpty() || rule.equals("-")) {
          throw Refusal.badRequest("No host/domain value after referrer designation in ACL: '" + e + "'.");
        }
        kept.add(".r:" + rule);
      } else if (e.equals(".rlistings")) {
        if (!readAcl) {
          throw Refusal.badRequest(".rlistings is not allowed in a write ACL.");
        }
        kept.add(e);
      } else if (e.startsWith(".")) {
        throw Refusal.badRequest("Unknown designator '" + e + "' in ACL.");
      } else {
        kept.add(e);
      }
    }
    return String.join(",", kept);
  }
}
