package dev.kiln.compute.proxy;

import java.util.List;

/**
 * A security group as Nova's proxy shows it: Networking's group with its ingress rules only (Nova
 * has no egress rules).
 */
public record NovaSecurityGroup(
    String id, String name, String description, String projectId, List<NovaSecurityGroupRule> rules) {

  public NovaSecurityGroup {
    rules = List.copyOf(rules);
  }
}
