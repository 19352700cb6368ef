package dev.kiln.http;

import static java.util.Objects.requireNonNull;

/**
 * What one service's API needs from the HTTP plumbing.
 *
 * @param publicUrl where clients reach Kiln, without a trailing slash, for links; null to use the
 *     scheme and host of each request, as Keystone does when no public endpoint is set
 * @param faultStyle the shape of this service's error bodies
 * @param callers resolves tokens to callers
 * @param microversions the service's microversion range, or null when it has none
 * @param mount where the service is mounted and the catalog types it answers as, which
 *     application credentials' access rules name; null for a service that names none (a token
 *     with access rules may then call none of its routes)
 */
public record ServiceContext(
    String publicUrl,
    FaultStyle faultStyle,
    CallerResolver callers,
    Microversions microversions,
    ServiceMount mount) {

  public ServiceContext {
    requireNonNull(faultStyle, "faultStyle is null");
    requireNonNull(callers, "callers is null");
  }
}
