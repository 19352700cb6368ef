package dev.kiln.compute.fleet;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * Resources one consumer (a server, or a migration's destination) holds on a host until it
 * releases them.
 */
public record Claim(String consumerId, String host, Resources resources, Instant createdAt) {
  public Claim {
    requireNonNull(consumerId, "consumerId is null");
    requireNonNull(host, "host is null");
    requireNonNull(resources, "resources is null");
  }
}
