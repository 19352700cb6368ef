package dev.kiln.network;

import java.time.Instant;
import java.util.List;

/**
 * A Neutron subnet pool: prefixes subnets are cut from, with the prefix lengths they may have.
 *
 * @param prefixes the pool's prefixes, merged, as CIDR text
 * @param defaultQuota how many addresses one project may take from the pool, or null for no limit
 */
public record SubnetPool(
    String id,
    String projectId,
    String name,
    String description,
    int ipVersion,
    List<String> prefixes,
    int defaultPrefixlen,
    int minPrefixlen,
    int maxPrefixlen,
    Integer defaultQuota,
    String addressScopeId,
    boolean shared,
    boolean isDefault,
    long revision,
    Instant createdAt,
    Instant updatedAt) {

  public SubnetPool {
    prefixes = List.copyOf(prefixes);
  }
}
