package dev.kiln.network;

/**
 * The compute hosts ports can be bound to. Networking asks, as Neutron's agents would tell it,
 * before binding a port; Compute's fleet answers.
 */
@FunctionalInterface
public interface ComputeHosts {
  boolean isKnown(String host);
}
