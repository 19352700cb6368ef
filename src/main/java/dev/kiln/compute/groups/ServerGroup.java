package dev.kiln.compute.groups;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;

/**
 * A Nova server group: a placement policy its members follow.
 *
 * @param maxServerPerHost how many members an anti-affinity group allows on one host (the rule
 *     of microversion 2.64), or null for Nova's default of one; only anti-affinity has it
 * @param members the ids of the servers in the group, oldest first
 */
public record ServerGroup(
    String id,
    String name,
    String projectId,
    String userId,
    Policy policy,
    Integer maxServerPerHost,
    Instant createdAt,
    List<String> members) {

  public ServerGroup {
    requireNonNull(id, "id is null");
    requireNonNull(policy, "policy is null");
    members = List.copyOf(members);
  }

  /** Nova's four policies: the hard ones filter hosts, the soft ones only weigh them. */
  public enum Policy {
    AFFINITY("affinity"),
    ANTI_AFFINITY("anti-affinity"),
    SOFT_AFFINITY("soft-affinity"),
    SOFT_ANTI_AFFINITY("soft-anti-affinity");

    private final String novaName;

    Policy(String novaName) {
      this.novaName = novaName;
    }

    public String novaName() {
      return novaName;
    }

    public boolean isHard() {
      return this == AFFINITY || this == ANTI_AFFINITY;
    }

    public static Policy of(String novaName) {
      for (Policy p : values()) {
        if (p.novaName.equals(novaName)) {
          return p;
        }
      }
      throw new IllegalArgumentException("unknown server group policy " + novaName);
    }
  }

  /** How many members may share a host: 1 for anti-affinity unless a rule says more. */
  public int membersAllowedPerHost() {
    return maxServerPerHost == null ? 1 : maxServerPerHost;
  }
}
