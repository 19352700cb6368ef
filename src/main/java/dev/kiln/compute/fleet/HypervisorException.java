package dev.kiln.compute.fleet;

import static java.util.Objects.requireNonNull;

/**
 * A hypervisor driver operation failed: the instance is left as the operation found it, and the
 * caller records the failure (a server goes to ERROR with this message as its fault).
 */
public final class HypervisorException extends RuntimeException {
  private final DriverOperation operation;
  private final String host;
  private final boolean injected;

  public HypervisorException(DriverOperation operation, String host, String message, boolean injected) {
    super(requireNonNull(message, "message is null"), null, false, false);
    this.operation = requireNonNull(operation, "operation is null");
    this.host = host;
    this.injected = injected;
  }

  public DriverOperation operation() {
    return operation;
  }

  /** The host the operation ran on, or null. */
  public String host() {
    return host;
  }

  /** Whether fault injection ({@code os-kiln-faults}) caused the failure. */
  public boolean injected() {
    return injected;
  }
}
