package dev.kiln.orchestration.resources;

import static java.util.Objects.requireNonNull;

/**
 * A resource step failed, with the error type Heat would name in the reason ({@code ValueError},
 * {@code Error}, {@code ResourceInError}, …): the engine reports it as {@code <type>:
 * resources.<name>: <message>}. Other exceptions are reported as {@code Error}, a {@link
 * dev.kiln.common.ServiceException} under its own type.
 */
public final class ResourceError extends Exception {
  private final String heatType;

  public ResourceError(String heatType, String message) {
    super(requireNonNull(message, "message is null"));
    this.heatType = requireNonNull(heatType, "heatType is null");
  }

  public String heatType() {
    return heatType;
  }
}
