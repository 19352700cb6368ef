package dev.kiln.http;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;

/**
 * Microversion negotiation as the OpenStack services do it: the client names a version in
 * {@code OpenStack-API-Version: <service-type> <version>} (or a service's legacy header such as
 * {@code X-OpenStack-Nova-API-Version}); none means the minimum, {@code latest} the maximum, and a
 * version outside [min, max] is refused with 406.
 *
 * @param serviceType the token clients put in the header ({@code compute}, {@code volume})
 * @param legacyHeader the service's older header, or null
 */
public record Microversions(
    String serviceType, String legacyHeader, ApiVersion min, ApiVersion max) {

  public static final String HEADER = "OpenStack-API-Version";

  public Microversions {
    requireNonNull(serviceType, "serviceType is null");
    requireNonNull(min, "min is null");
    requireNonNull(max, "max is null");
    if (min.compareTo(max) > 0) {
      throw new IllegalArgumentException("min " + min + " is above max " + max);
    }
  }

  /**
   * The version a request asks for.
   *
   * @param standard the value of {@code OpenStack-API-Version}, if sent
   * @param legacy the value of the legacy header, if sent
   */
  public ApiVersion negotiate(Optional<String> standard, Optional<String> legacy) {
    Optional<String> requested = standard.flatMap(this::versionForThisService);
    if (requested.isEmpty()) {
      requested = legacy.map(String::trim).filter(v -> !v.isEmpty());
    }
    if (requested.isEmpty()) {
      return min;
    }
    String text = requested.get();
    if (text.equalsIgnoreCase("latest")) {
      return max;
    }
    ApiVersion version = ApiVersion.parse(text);
    if (version.compareTo(min) < 0 || version.compareTo(max) > 0) {
      throw ApiError.notAcceptable(
          "Version "
              + version
              + " is not supported by the API. Minimum is "
              + min
              + " and maximum is "
              + max
              + ".");
    }
    return version;
  }

  /** The headers that tell the client which version answered. */
  public Map<String, String> responseHeaders(ApiVersion version) {
    return legacyHeader == null
        ? Map.of(HEADER, serviceType + " " + version, "Vary", HEADER)
        : Map.of(
            HEADER, serviceType + " " + version,
            legacyHeader, version.toString(),
            "Vary", HEADER + ", " + legacyHeader);
  }

  /**
   * Picks this service's entry from a header that may name several services, e.g. {@code
   * "compute 2.60, volume 3.44"}.
   */
  private Optional<String> versionForThisService(String header) {
    for (String entry : header.split(",")) {
      String[] parts = entry.trim().split("\\s+");
      if (parts.length == 2 && parts[0].equalsIgnoreCase(serviceType)) {
        return Optional.of(parts[1]);
      }
    }
    return Optional.empty();
  }
}
