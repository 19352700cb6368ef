package dev.kiln.http;

import java.util.Optional;

/**
 * Turns the token a request carries into its {@link Caller}. Implemented by Identity; every
 * service's API calls it on every authenticated request.
 */
@FunctionalInterface
public interface CallerResolver {
  /** The caller, or empty when the token is unknown, revoked or expired. */
  Optional<Caller> resolve(String token);
}
