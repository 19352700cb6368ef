package dev.kiln.network;

import java.time.Instant;
import java.util.List;

/**
 * A Neutron security group with its rules.
 *
 * @param revision Neutron's {@code revision_number}: 1 when created, one more on each change of
 *     the group or of its rules
 */
public record SecurityGroup(
    String id,
    String projectId,
    String name,
    String description,
    boolean stateful,
    long revision,
    Instant createdAt,
    Instant updatedAt,
    List<SecurityGroupRule> rules) {

  /** The name of each project's default group, which no other group may take. */
  public static final String DEFAULT_NAME = "default";

  public SecurityGroup {
    rules = List.copyOf(rules);
  }

  /** Whether this is a project's default group, which Neutron recognises by its name. */
  public boolean isDefault() {
    return DEFAULT_NAME.equals(name);
  }

  public SecurityGroup withRules(List<SecurityGroupRule> newRules) {
    return new SecurityGroup(
        id, projectId, name, description, stateful, revision, createdAt, updatedAt, newRules);
  }
}
