package dev.kiln.identity.api;

import dev.kiln.identity.Role;
import dev.kiln.identity.Scope;
import dev.kiln.identity.TokenInfo;
import dev.kiln.identity.TokenService;

import static java.util.Objects.requireNonNull;

import dev.kiln.http.Caller;
import dev.kiln.http.CallerResolver;
import java.util.Optional;
import java.util.stream.Collectors;

/** Resolves the X-Auth-Token of any service's request through the token service. */
public final class TokenCallers implements CallerResolver {
  private final TokenService tokens;

  public TokenCallers(TokenService tokens) {
    this.tokens = requireNonNull(tokens, "tokens is null");
  }

  @Override
  public Optional<Caller> resolve(String token) {
    return tokens.validate(token).map(TokenCallers::caller);
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
        info.expiresAt());
  }
}
