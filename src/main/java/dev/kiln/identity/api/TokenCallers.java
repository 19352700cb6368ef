package dev.kiln.identity.api;

import dev.kiln.identity.Role;
import dev.kiln.identity.Scope;
import dev.kiln.identity.TokenInfo;
import dev.kiln.identity.TokenService;

import static java.util.Objects.requireNonNull;

import dev.kiln.http.AllowedRequests;
import dev.kiln.http.Caller;
import dev.kiln.http.CallerResolver;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Resolves the X-Auth-Token of any service's request through the token service, and times each
 * validation for {@code /metrics} ({@code kiln_token_validation_seconds}).
 */
public final class TokenCallers implements CallerResolver {
  private final TokenService tokens;
  private final Timer validations;

  public TokenCallers(TokenService tokens, MeterRegistry metrics) {
    this.tokens = requireNonNull(tokens, "tokens is null");
    this.validations =
        Timer.builder("kiln.token.validation")
            .description("X-Auth-Token validations, server side")
            .publishPercentiles(0.5, 0.95, 0.99)
            .register(requireNonNull(metrics, "metrics is null"));
  }

  @Override
  public Optional<Caller> resolve(String token) {
    long start = System.nanoTime();
    try {
      return tokens.validate(token).map(TokenCallers::caller);
    } finally {
      validations.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }
  }

  static Caller caller(TokenInfo info) {
    return new Caller(
        info.user().id(),
        info.user().name(),
        info.user().domainId(),
        info.project() == null ? null : info.project().id(),
        info.project() == null ? null : info.project().name(),
        info.scope() instanceof Scope.DomainScope d ? d.domainId() : null,
        info.roles().stream().map(Role::name).collect(Collectors.toSet()),
        info.expiresAt(),
        allowed(info));
  }

  /** The requests the token may make: an application credential's access rules, if it has any. */
  private static AllowedRequests allowed(TokenInfo info) {
    if (info.appCredential() == null || info.appCredential().accessRules().isEmpty()) {
      return AllowedRequests.ANY;
    }
    return AllowedRequests.only(
        info.appCredential().accessRules().stream()
            .map(r -> new AllowedRequests.Rule(r.service(), r.method(), r.path()))
            .toList());
  }
}
