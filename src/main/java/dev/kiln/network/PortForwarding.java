package dev.kiln.network;

/**
 * A floating IP port forwarding: what reaches the floating IP on {@code externalPort} by {@code
 * protocol} goes to {@code internalIpAddress}:{@code internalPort} of an internal port.
 */
public record PortForwarding(
    String id,
    String floatingIpId,
    String internalPortId,
    String internalIpAddress,
    int internalPort,
    int externalPort,
    String protocol,
    String description) {}
