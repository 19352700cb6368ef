package dev.kiln.identity;

import static dev.kiln.common.ServiceException.forbidden;
import static dev.kiln.common.ServiceException.notFound;
import static dev.kiln.common.ServiceException.unauthenticated;
import static java.util.Objects.requireNonNull;

import dev.kiln.common.IdGenerator;
import dev.kiln.identity.RoleAssignment.Target;
import dev.kiln.identity.RoleAssignment.TargetType;
import dev.kiln.identity.Scope.DomainScope;
import dev.kiln.identity.Scope.ProjectScope;
import dev.kiln.identity.Scope.Unscoped;
import dev.kiln.identity.ScopeRequest.Default;
import dev.kiln.identity.ScopeRequest.DomainRequest;
import dev.kiln.identity.ScopeRequest.ProjectRequest;
import dev.kiln.identity.ScopeRequest.TrustRequest;
import dev.kiln.identity.store.AppCredentialStore;
import dev.kiln.identity.store.IdentityStore;
import dev.kiln.identity.store.ImpliedRoleStore;
import dev.kiln.identity.store.OAuthTokenStore;
import dev.kiln.identity.store.TokenStore;
import dev.kiln.identity.store.TokenStore.StoredToken;
import dev.kiln.identity.store.TokenStore.TokenState;
import dev.kiln.identity.store.TrustStore;
import dev.kiln.store.ChangeCounter;
import dev.kiln.store.Database;
import dev.kiln.store.Sql;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Issues, validates and revokes tokens. A token is 256 random bits; only its SHA-256 is stored.
 * Validation reads the token's row every time and works out the user, the scope and the roles again
 * whenever identity's revision moved (see {@link TokenCache}), so revoking a token, disabling a user
 * or a project, or removing a role takes effect on the next request, on every node.
 *
 * <p>Over 400 lines because the four auth methods (password, token, application credential,
 * oauth1) and validation share one working-out of scope and roles ({@code describe}), which must
 * stay one; the OAuth signature checks live in {@link OAuthTokens}. A
 * trust scope's own working-out lives in {@link TrustScopes}; this class only issues and stores it.
 */
public final class TokenService {
  /** Tokens whose validation is kept in memory: a few MB at most. */
  static final int CACHED_TOKENS = 4096;

  private static final String BAD_APP_CREDENTIAL =
      "The request you have made requires authentication: the application credential or its secret"
          + " is wrong.";

  private static final String BAD_CREDENTIALS =
      "The request you have made requires authentication: the user name or password is wrong.";

  private final Database db;
  private final Clock clock;
  private final IdGenerator ids;
  private final PasswordHasher hasher;
  private final SecureRandom random;
  private final Duration lifetime;
  private final TokenCache cache = new TokenCache(CACHED_TOKENS);
  /**
   * Commits to the token's row or identity's revision, where this process makes them all (the
   * embedded file): while the count stands, a cached validation needs no read at all.
   */
  private final ChangeCounter tokenChanges;

  public TokenService(
      Database db,
      Clock clock,
      IdGenerator ids,
      PasswordHasher hasher,
      SecureRandom random,
      Duration lifetime) {
    this.db = requireNonNull(db, "db is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.ids = requireNonNull(ids, "ids is null");
    this.hasher = requireNonNull(hasher, "hasher is null");
    this.random = requireNonNull(random, "random is null");
    this.lifetime = requireNonNull(lifetime, "lifetime is null");
    this.tokenChanges = db.countChanges(Set.of("identity_token", "identity_revision")).orElse(null);
  }

  /** The password method: checks the credentials, then issues a token for the scope asked. */
  public IssuedToken issueWithPassword(Credentials credentials, ScopeRequest scope) {
    IdentityStore store = new IdentityStore(db.sql());
    User user = findUser(store, credentials).orElseThrow(() -> unauthenticated(BAD_CREDENTIALS));
    String hash = store.passwordHash(user.id()).orElse(null);
    if (!hasher.verify(credentials.password(), hash)) {
      throw unauthenticated(BAD_CREDENTIALS);
    }
    checkUsable(store, user);
    return issue(store, user, scope, List.of("password"), ids.hex(), Instant.MAX, null, null);
  }

  /**
   * The application credential method: checks the secret, then issues a token scoped to the
   * credential's project with at most its roles, living no longer than the credential. A client
   * may name that project as its scope, never another.
   */
  public IssuedToken issueWithApplicationCredential(AppCredentialLogin login, ScopeRequest scope) {
    IdentityStore store = new IdentityStore(db.sql());
    AppCredentialStore credentials = new AppCredentialStore(db.sql());
    ApplicationCredential credential = findAppCredential(store, credentials, login)
        .orElseThrow(() -> unauthenticated(BAD_APP_CREDENTIAL));
    if (!hasher.verify(login.secret(), credentials.secretHash(credential.id()).orElse(null))) {
      throw unauthenticated(BAD_APP_CREDENTIAL);
    }
    if (credential.expiredAt(clock.instant())) {
      throw unauthenticated("The application credential " + credential.id() + " has expired.");
    }
    User user = store.findUser(credential.userId()).orElseThrow(() -> unauthenticated(BAD_APP_CREDENTIAL));
    checkUsable(store, user);
    if (!(scope instanceof Default)
        && !(scope instanceof ProjectRequest p && credential.projectId().equals(p.id()))) {
      throw unauthenticated(
          "An application credential's token is scoped to its own project, "
              + credential.projectId() + "; ask for no other scope.");
    }
    Instant notAfter = credential.expiresAt() == null ? Instant.MAX : credential.expiresAt();
    return issue(
        store,
        user,
        new ProjectRequest(credential.projectId(), null, null, null),
        List.of("application_credential"),
        ids.hex(),
        notAfter,
        credential,
        null);
  }

  private static Optional<ApplicationCredential> findAppCredential(
      IdentityStore store, AppCredentialStore credentials, AppCredentialLogin login) {
    if (login.id() != null) {
      return credentials.find(login.id());
    }
    return findUser(store, login.user()).flatMap(u -> credentials.findByName(u.id(), login.name()));
  }

  /**
   * The oauth1 method: an access token whose signature {@link OAuthTokens} checked buys a token
   * scoped to its project, acting as the user who authorized it, with at most its roles, living no
   * longer than it. A client may name that project as its scope, never another.
   */
  public IssuedToken issueWithOAuth(OAuthAccessToken access, ScopeRequest scope) {
    IdentityStore store = new IdentityStore(db.sql());
    User user =
        store.findUser(access.authorizingUserId())
            .orElseThrow(() -> unauthenticated("The user who authorized the access token is gone."));
    checkUsable(store, user);
    if (!(scope instanceof Default)
        && !(scope instanceof ProjectRequest p && access.projectId().equals(p.id()))) {
      throw unauthenticated(
          "An OAuth access token's token is scoped to its own project, " + access.projectId()
              + "; ask for no other scope.");
    }
    Instant notAfter = access.expiresAt() == null ? Instant.MAX : access.expiresAt();
    return issue(
        store,
        user,
        new ProjectRequest(access.projectId(), null, null, null),
        List.of("oauth1"),
        ids.hex(),
        notAfter,
        null,
        access);
  }

  /**
   * The token method: a valid token buys a new one with another scope (but never a longer life),
   * as clients do to move from an unscoped token to a project.
   */
  public IssuedToken issueWithToken(String tokenValue, ScopeRequest scope) {
    TokenInfo old =
        validate(tokenValue)
            .orElseThrow(() -> unauthenticated("The token given to the token method is not valid."));
    if (old.trustScoped()) {
      throw forbidden(
          "ForbiddenAction",
          "You are not authorized to perform the requested action: rescope a trust-scoped token.");
    }
    if (old.oauthScoped()) {
      throw forbidden(
          "ForbiddenAction",
          "You are not authorized to perform the requested action: using an OAuth-scoped token to"
              + " create another token; create a new OAuth-scoped token instead.");
    }
    IdentityStore store = new IdentityStore(db.sql());
    List<String> methods = new ArrayList<>(old.methods());
    if (!methods.contains("token")) {
      methods.add("token");
    }
    ApplicationCredential credential = old.appCredential();
    if (credential != null
        && !(scope instanceof Default)
        && !(scope instanceof ProjectRequest p && credential.projectId().equals(p.id()))) {
      throw unauthenticated("A token made with an application credential cannot be re-scoped.");
    }
    ScopeRequest asked =
        credential == null ? scope : new ProjectRequest(credential.projectId(), null, null, null);
    // A re-scoped token never outlives the token it was bought with.
    return issue(store, old.user(), asked, methods, old.auditId(), old.expiresAt(), credential, null);
  }

  /**
   * What a token stands for, or empty when it is unknown, revoked, expired or no longer usable.
   * Every call reads the token's row (revoked?) and identity's revision in one statement; the rest
   * (user, domains, project, roles) comes from the cache while that revision stands. On the
   * embedded file, where every commit is this process's, that read is skipped too while no commit
   * has touched the token table or the revision since the cached one ({@link ChangeCounter}).
   */
  public Optional<TokenInfo> validate(String tokenValue) {
    if (tokenValue == null || tokenValue.isEmpty() || tokenValue.length() > 512) {
      return Optional.empty();
    }
    String hash = sha256(tokenValue);
    // Read before the row, so that a commit between the two shows as a moved count next time.
    long changes = tokenChanges == null ? -1 : tokenChanges.count();
    if (changes >= 0) {
      TokenInfo unchanged = cache.getUnchanged(hash, changes, clock.instant());
      if (unchanged != null) {
        return Optional.of(unchanged);
      }
    }
    Optional<TokenState> found = new TokenStore(db.sql()).findWithRevision(hash);
    Instant now = clock.instant();
    if (found.isEmpty()
        || found.get().token().revoked()
        || !now.isBefore(found.get().token().expiresAt())) {
      cache.remove(hash);
      return Optional.empty();
    }
    long revision = found.get().identityRevision();
    TokenInfo cached = cache.get(hash, revision, now);
    if (cached != null) {
      if (changes >= 0) {
        cache.put(hash, cached, revision, changes, now); // good for as long as the new count stands
      }
      return Optional.of(cached);
    }
    Optional<TokenInfo> info = describeStored(found.get().token());
    info.ifPresent(i -> cache.put(hash, i, revision, changes, now));
    return info;
  }

  /** Works out what a stored, unrevoked, unexpired token means now, from the identity tables. */
  private Optional<TokenInfo> describeStored(StoredToken stored) {
    IdentityStore store = new IdentityStore(db.sql());
    Optional<User> user = store.findUser(stored.userId());
    if (user.isEmpty() || !user.get().enabled()) {
      return Optional.empty();
    }
    Optional<Domain> userDomain = store.findDomain(user.get().domainId());
    if (userDomain.isEmpty() || !userDomain.get().enabled()) {
      return Optional.empty();
    }
    ApplicationCredential credential = null;
    if (stored.appCredentialId() != null) {
      Optional<ApplicationCredential> found =
          new AppCredentialStore(db.sql()).find(stored.appCredentialId());
      if (found.isEmpty() || found.get().expiredAt(clock.instant())) {
        return Optional.empty(); // deleted or expired: its tokens mean nothing any more
      }
      credential = found.get();
    }
    OAuthAccessToken oauth = null;
    if (stored.accessTokenId() != null) {
      Optional<OAuthAccessToken> found = new OAuthTokenStore(db.sql()).findAccessToken(stored.accessTokenId());
      if (found.isEmpty() || found.get().expiredAt(clock.instant())) {
        return Optional.empty(); // deleted or expired: its tokens mean nothing any more
      }
      oauth = found.get();
    }
    if (stored.trustId() != null) {
      try {
        Trust trust = TrustScopes.usable(new TrustStore(db.sql()), stored.trustId(), clock.instant());
        return Optional.of(
            TrustScopes.describe(
                store,
                new ImpliedRoleStore(db.sql()),
                new TrustStore(db.sql()),
                trust,
                clock.instant(),
                List.of(stored.methods().split(",")),
                stored.auditId(),
                stored.issuedAt(),
                stored.expiresAt()));
      } catch (dev.kiln.common.ServiceException e) {
        return Optional.empty(); // the trust or the roles it delegates went away
      }
    }
    Scope scope =
        switch (stored.scopeType()) {
          case "PROJECT" -> new ProjectScope(stored.scopeId());
          case "DOMAIN" -> new DomainScope(stored.scopeId());
          default -> new Unscoped();
        };
    try {
      return Optional.of(
          describe(
              store,
              user.get(),
              userDomain.get(),
              scope,
              List.of(stored.methods().split(",")),
              stored.auditId(),
              stored.issuedAt(),
              stored.expiresAt(),
              credential,
              oauth));
    } catch (dev.kiln.common.ServiceException e) {
      // The scope went away or the roles on it did: the token no longer means anything.
      return Optional.empty();
    }
  }

  /** Revokes a token so it fails validation from now on. */
  public void revoke(String tokenValue) {
    String hash = sha256(tokenValue);
    cache.remove(hash);
    if (!new TokenStore(db.sql()).revoke(hash)) {
      throw notFound("TokenNotFound", "Could not find token: the token is unknown or already revoked.");
    }
  }

  /** Deletes tokens that expired more than a day ago; nothing can use them any more. */
  public int purgeExpired() {
    return new TokenStore(db.sql()).purgeExpiredBefore(clock.instant().minus(Duration.ofDays(1)));
  }

  private IssuedToken issue(
      IdentityStore store,
      User user,
      ScopeRequest request,
      List<String> methods,
      String auditId,
      Instant notAfter,
      ApplicationCredential credential,
      OAuthAccessToken oauth) {
    if (request instanceof TrustRequest t) {
      return issueForTrust(store, user, t.id(), methods, auditId, notAfter);
    }
    Domain userDomain = store.findDomain(user.domainId()).orElseThrow();
    Scope scope = resolveScope(store, user, request);
    // Microseconds, as both databases store them, so a token reads back exactly as issued.
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    Instant expires = now.plus(lifetime);
    if (expires.isAfter(notAfter)) {
      expires = notAfter;
    }
    TokenInfo info =
        describe(store, user, userDomain, scope, methods, auditId, now, expires, credential, oauth);
    String value = newTokenValue();
    store(db.sql(), value, info);
    return new IssuedToken(value, info);
  }

  /**
   * A token scoped by a trust, for its trustee: it lives no longer than the trust, and spends one
   * of the trust's uses in the transaction that stores it.
   */
  private IssuedToken issueForTrust(
      IdentityStore store,
      User authenticated,
      String trustId,
      List<String> methods,
      String auditId,
      Instant notAfter) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    Trust trust = TrustScopes.usable(new TrustStore(db.sql()), trustId, now);
    TrustScopes.checkTrustee(authenticated, trust);
    Instant expires = now.plus(lifetime);
    if (expires.isAfter(notAfter)) {
      expires = notAfter;
    }
    if (trust.expiresAt() != null && expires.isAfter(trust.expiresAt())) {
      expires = trust.expiresAt();
    }
    TokenInfo info = TrustScopes.describe(
        store, new ImpliedRoleStore(db.sql()), new TrustStore(db.sql()), trust, now, methods, auditId, now, expires);
    String value = newTokenValue();
    db.inTransaction(
        sql -> {
          if (!new TrustStore(sql).consumeUse(trust.id())) {
            throw forbidden("Forbidden", "No remaining uses for trust: " + trust.id() + ".");
          }
          store(sql, value, info);
          return null;
        });
    return new IssuedToken(value, info);
  }

  private String newTokenValue() {
    return CommandLineSafeSecrets.of(random, 32);
  }

  private static void store(Sql sql, String value, TokenInfo info) {
    String scopeType;
    String scopeId;
    switch (info.scope()) {
      case ProjectScope p -> {
        scopeType = "PROJECT";
        scopeId = p.projectId();
      }
      case DomainScope d -> {
        scopeType = "DOMAIN";
        scopeId = d.domainId();
      }
      case Unscoped u -> {
        scopeType = "UNSCOPED";
        scopeId = null;
      }
    }
    new TokenStore(sql)
        .insert(
            new StoredToken(
                sha256(value),
                info.user().id(),
                scopeType,
                scopeId,
                String.join(",", info.methods()),
                info.auditId(),
                info.issuedAt(),
                info.expiresAt(),
                false,
                info.appCredential() == null ? null : info.appCredential().id(),
                info.trust() == null ? null : info.trust().id(),
                info.oauth() == null ? null : info.oauth().id()));
  }

  private TokenInfo describe(
      IdentityStore store,
      User user,
      Domain userDomain,
      Scope scope,
      List<String> methods,
      String auditId,
      Instant issuedAt,
      Instant expiresAt,
      ApplicationCredential credential,
      OAuthAccessToken oauth) {
    return switch (scope) {
      case ProjectScope p -> {
        Project project =
            store
                .findProject(p.projectId())
                .filter(Project::enabled)
                .orElseThrow(() -> unauthenticated("The project " + p.projectId() + " is not usable."));
        Domain domain = store.findDomain(project.domainId()).filter(Domain::enabled)
            .orElseThrow(() -> unauthenticated("The project's domain is disabled."));
        List<Role> roles = effectiveRoles(store, user, new Target(TargetType.PROJECT, project.id()));
        if (credential != null) {
          roles = withinCredential(roles, credential);
        }
        if (oauth != null) {
          roles = withinAccessToken(store, roles, oauth);
        }
        yield new TokenInfo(
            user, userDomain, scope, project, domain, roles, methods, auditId, issuedAt, expiresAt,
            credential, null, oauth);
      }
      case DomainScope d -> {
        Domain domain =
            store
                .findDomain(d.domainId())
                .filter(Domain::enabled)
                .orElseThrow(() -> unauthenticated("The domain " + d.domainId() + " is not usable."));
        List<Role> roles = effectiveRoles(store, user, new Target(TargetType.DOMAIN, domain.id()));
        yield new TokenInfo(
            user, userDomain, scope, null, domain, roles, methods, auditId, issuedAt, expiresAt, null, null, null);
      }
      case Unscoped u ->
          new TokenInfo(
              user, userDomain, scope, null, null, List.of(), methods, auditId, issuedAt, expiresAt, null, null, null);
    };
  }

  /**
   * The roles held on the target (directly, through groups, inherited from above) plus those they
   * imply, without domain-specific roles; none at all means no access. Worked out only when a
   * token is issued or its cached validation is stale, never on every request.
   */
  private List<Role> effectiveRoles(IdentityStore store, User user, Target target) {
    List<Role> all =
        ImpliedRoles.expand(store, new ImpliedRoleStore(db.sql()), store.effectiveRolesOn(user.id(), target));
    if (all.isEmpty()) {
      throw unauthenticated(
          "User "
              + user.id()
              + " has no access to "
              + target.type().name().toLowerCase(java.util.Locale.ROOT)
              + " "
              + target.id()
              + ".");
    }
    return all;
  }

  /**
   * The roles of an application credential's token: those the credential was given that the user
   * still holds on its project. None left means the credential no longer gives access.
   */
  private static List<Role> withinCredential(List<Role> held, ApplicationCredential credential) {
    List<String> allowed = credential.roles().stream().map(Role::id).toList();
    List<Role> kept = held.stream().filter(r -> allowed.contains(r.id())).toList();
    if (kept.isEmpty()) {
      throw unauthenticated(
          "The user no longer holds any role of application credential " + credential.id() + ".");
    }
    return kept;
  }

  /**
   * The roles of an OAuth token: those the access token was given, with the roles they imply, that
   * the user still holds on its project. None left means the access token no longer gives access.
   */
  private List<Role> withinAccessToken(IdentityStore store, List<Role> held, OAuthAccessToken access) {
    java.util.Set<String> allowed = new java.util.HashSet<>();
    ImpliedRoles.expand(store, new ImpliedRoleStore(db.sql()), access.roles()).forEach(r -> allowed.add(r.id()));
    List<Role> kept = held.stream().filter(r -> allowed.contains(r.id())).toList();
    if (kept.isEmpty()) {
      throw unauthenticated(
          "The user no longer holds any role of OAuth access token " + access.id() + ".");
    }
    return kept;
  }

  private static Scope resolveScope(IdentityStore store, User user, ScopeRequest request) {
    return switch (request) {
      case TrustRequest t -> throw new IllegalStateException("trust scopes are issued by issueForTrust");
      case ProjectRequest p -> new ProjectScope(findProject(store, p).id());
      case DomainRequest d -> {
        Optional<Domain> domain =
            d.id() != null ? store.findDomain(d.id()) : store.findDomainByName(d.name());
        yield new DomainScope(
            domain
                .orElseThrow(
                    () ->
                        unauthenticated(
                            "Could not find domain: " + (d.id() != null ? d.id() : d.name()) + "."))
                .id());
      }
      case Default x -> {
        // Keystone scopes to the default project when the user may use it, else leaves it unscoped.
        String projectId = user.defaultProjectId();
        if (projectId != null
            && store.findProject(projectId).filter(Project::enabled).isPresent()
            && !store.effectiveRolesOn(user.id(), new Target(TargetType.PROJECT, projectId)).isEmpty()) {
          yield new ProjectScope(projectId);
        }
        yield new Unscoped();
      }
    };
  }

  private static Project findProject(IdentityStore store, ProjectRequest p) {
    Optional<Project> project;
    if (p.id() != null) {
      project = store.findProject(p.id());
    } else {
      String domainId = p.domainId();
      if (domainId == null && p.domainName() != null) {
        domainId = store.findDomainByName(p.domainName()).map(Domain::id).orElse(null);
      }
      project = domainId == null ? Optional.empty() : store.findProjectByName(domainId, p.name());
    }
    return project.orElseThrow(
        () ->
            unauthenticated(
                "Could not find project: " + (p.id() != null ? p.id() : p.name()) + "."));
  }

  private static Optional<User> findUser(IdentityStore store, Credentials c) {
    if (c.userId() != null) {
      return store.findUser(c.userId());
    }
    String domainId = c.domainId();
    if (domainId == null && c.domainName() != null) {
      domainId = store.findDomainByName(c.domainName()).map(Domain::id).orElse(null);
    }
    return domainId == null ? Optional.empty() : store.findUserByName(domainId, c.userName());
  }

  private static void checkUsable(IdentityStore store, User user) {
    if (!user.enabled()) {
      throw unauthenticated("The account is disabled for user: " + user.id() + ".");
    }
    if (store.findDomain(user.domainId()).filter(Domain::enabled).isEmpty()) {
      throw unauthenticated("The user's domain is disabled.");
    }
  }

  static String sha256(String value) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }
}
