package dev.kiln.identity;

import static dev.kiln.common.ServiceException.forbidden;
import static dev.kiln.common.ServiceException.invalid;
import static dev.kiln.common.ServiceException.notFound;
import static dev.kiln.common.ServiceException.unauthenticated;
import static java.util.Objects.requireNonNull;

import dev.kiln.common.IdGenerator;
import dev.kiln.identity.OAuthSignatures.SignedRequest;
import dev.kiln.identity.RoleAssignment.Target;
import dev.kiln.identity.RoleAssignment.TargetType;
import dev.kiln.identity.store.IdentityStore;
import dev.kiln.identity.store.ImpliedRoleStore;
import dev.kiln.identity.store.OAuthConsumerStore;
import dev.kiln.identity.store.OAuthTokenStore;
import dev.kiln.store.Database;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Keystone's OS-OAUTH1 delegation: a consumer gets a request token for a project (a request
 * signed with its secret), a user of the project authorizes it with some of their roles (which
 * gives a verifier), the consumer trades the request token and the verifier for an access token
 * (signed with both secrets), and then gets Keystone tokens with it (signed with the consumer's and
 * the access token's secrets, {@link TokenService#issueWithOAuth}). Users list, show and delete
 * their access tokens; deleting one revokes the Keystone tokens it gave.
 *
 * <p>As in Keystone: request tokens live 8 hours, access tokens 24; a signed request's timestamp
 * must be within 10 minutes of the server's clock (oauthlib's window). Like Keystone, Kiln does
 * not remember nonces: a signed request replayed within that window is accepted again.
 */
public final class OAuthTokens {
  static final Duration REQUEST_TOKEN_LIFETIME = Duration.ofHours(8);
  static final Duration ACCESS_TOKEN_LIFETIME = Duration.ofHours(24);
  static final Duration TIMESTAMP_WINDOW = Duration.ofMinutes(10);
  /** Letters and digits without those easily confused (jiIl1oO0), as Keystone's verifiers. */
  private static final String VERIFIER_CHARS = "abcdefghkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

  private final Database db;
  private final Clock clock;
  private final IdGenerator ids;
  private final SecureRandom random;
  private final Directory directory;

  public OAuthTokens(Database db, Clock clock, IdGenerator ids, SecureRandom random, Directory directory) {
    this.db = requireNonNull(db, "db is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.ids = requireNonNull(ids, "ids is null");
    this.random = requireNonNull(random, "random is null");
    this.directory = requireNonNull(directory, "directory is null");
  }

  /** A token handed to a consumer: its key, its secret (shown this once) and its expiry. */
  public record Issued(String key, String secret, Instant expiresAt) {
    @Override
    public String toString() {
      return "Issued[key=" + key + ", secret=<hidden>, expiresAt=" + expiresAt + "]";
    }
  }

  /** A role asked for by id or by name. */
  public record RoleRef(String id, String name) {}

  /** {@code POST /v3/OS-OAUTH1/request_token}: signed with the consumer's secret alone. */
  public Issued createRequestToken(SignedRequest request, String requestedProjectId) {
    String consumerId = required(request, "oauth_consumer_key");
    if (requestedProjectId == null || requestedProjectId.isBlank()) {
      throw missing("Requested-Project-Id");
    }
    directory.project(requestedProjectId);
    OAuthConsumer consumer = new OAuthConsumerStore(db.sql()).find(consumerId)
        .orElseThrow(() -> notFound("NotFound", "Could not find consumer: " + consumerId + "."));
    if (request.oauth("oauth_callback") == null) {
      throw invalid("ValidationError", "Validation failed with errors: invalid_request, detail message is:"
          + " Missing callback URI (oauth_callback; 'oob' for none).");
    }
    checkSigned(request, consumer.secret(), null, "Invalid signature.");
    Instant now = now();
    OAuthRequestToken token = new OAuthRequestToken(
        ids.hex(), newSecret(), consumerId, requestedProjectId, null, null, List.of(),
        now.plus(REQUEST_TOKEN_LIFETIME));
    db.inTransaction(sql -> {
      new OAuthTokenStore(sql).insertRequestToken(token, now);
      return null;
    });
    return new Issued(token.id(), token.secret(), token.expiresAt());
  }

  /**
   * {@code PUT /v3/OS-OAUTH1/authorize/{id}}: the caller authorizes the request token with roles
   * they hold on its project; answers the verifier the consumer needs for the access token.
   */
  public String authorize(TokenInfo caller, String requestTokenId, List<RoleRef> roles) {
    if (caller.delegated() || caller.appCredential() != null) {
      throw forbidden("Forbidden", "Cannot authorize a request token with a token issued via delegation.");
    }
    OAuthRequestToken token = new OAuthTokenStore(db.sql()).findRequestToken(requestTokenId)
        .orElseThrow(() -> notFound("NotFound", "Could not find request token: " + requestTokenId + "."));
    if (token.expiredAt(clock.instant())) {
      throw unauthenticated("Request token is expired.");
    }
    List<Role> asked = resolve(roles);
    Set<String> held = new HashSet<>();
    heldOn(caller.user().id(), token.requestedProjectId()).forEach(r -> held.add(r.id()));
    for (Role role : asked) {
      if (!held.contains(role.id())) {
        throw unauthenticated("The authorizing user does not have role " + role.name() + " on project "
            + token.requestedProjectId() + ".");
      }
    }
    String verifier = newVerifier();
    boolean done = db.inTransaction(
        sql -> new OAuthTokenStore(sql).authorize(token.id(), caller.user().id(), verifier, asked));
    if (!done) {
      throw notFound("NotFound", "Could not find request token: " + requestTokenId + ".");
    }
    return verifier;
  }

  /**
   * {@code POST /v3/OS-OAUTH1/access_token}: signed with the consumer's and the request token's
   * secrets, with the verifier; uses the request token up and answers the access token.
   */
  public Issued createAccessToken(SignedRequest request) {
    String consumerId = required(request, "oauth_consumer_key");
    String requestTokenId = required(request, "oauth_token");
    String verifier = required(request, "oauth_verifier");
    OAuthRequestToken token = new OAuthTokenStore(db.sql()).findRequestToken(requestTokenId)
        .orElseThrow(() -> notFound("NotFound", "Could not find request token: " + requestTokenId + "."));
    if (token.expiredAt(clock.instant())) {
      throw unauthenticated("Request token is expired.");
    }
    OAuthConsumer consumer = new OAuthConsumerStore(db.sql()).find(consumerId)
        .orElseThrow(() -> unauthenticated("Provided consumer does not exist."));
    if (!token.consumerId().equals(consumerId)) {
      throw unauthenticated("Provided consumer key does not match stored consumer key.");
    }
    if (token.verifier() == null || token.authorizingUserId() == null) {
      throw unauthenticated("Request Token does not have an authorizing user id: no user authorized it yet.");
    }
    if (!token.verifier().equals(verifier)) {
      throw unauthenticated("Provided verifier does not match stored verifier.");
    }
    checkSigned(request, consumer.secret(), token.secret(), "Invalid signature.");
    Instant now = now();
    OAuthAccessToken access = new OAuthAccessToken(
        ids.hex(), consumerId, token.authorizingUserId(), token.requestedProjectId(), token.roles(),
        now.plus(ACCESS_TOKEN_LIFETIME));
    String secret = newSecret();
    db.inTransaction(sql -> {
      OAuthTokenStore store = new OAuthTokenStore(sql);
      if (!store.consumeRequestToken(token.id(), verifier)) {
        throw unauthenticated("The request token was used or authorized again meanwhile; ask for a new one.");
      }
      store.insertAccessToken(access, secret, now);
      return null;
    });
    return new Issued(access.id(), secret, access.expiresAt());
  }

  /**
   * Checks a request signed with the consumer's and an access token's secrets for the oauth1 auth
   * method; answers the access token it names.
   */
  public OAuthAccessToken authenticate(SignedRequest request) {
    String accessTokenId = required(request, "oauth_token");
    String consumerId = required(request, "oauth_consumer_key");
    OAuthTokenStore store = new OAuthTokenStore(db.sql());
    OAuthAccessToken access = store.findAccessToken(accessTokenId)
        .orElseThrow(() -> notFound("NotFound", "Could not find access token: " + accessTokenId + "."));
    if (access.expiredAt(clock.instant())) {
      throw unauthenticated("Access token is expired.");
    }
    OAuthConsumer consumer = new OAuthConsumerStore(db.sql()).find(consumerId)
        .filter(c -> c.id().equals(access.consumerId()))
        .orElseThrow(() -> unauthenticated("Could not validate the access token: it is not this consumer's."));
    String secret = store.accessTokenSecret(accessTokenId)
        .orElseThrow(() -> notFound("NotFound", "Could not find access token: " + accessTokenId + "."));
    checkSigned(request, consumer.secret(), secret, "Could not validate the access token.");
    return access;
  }

  /** A user's access tokens. */
  public List<OAuthAccessToken> accessTokens(String userId) {
    directory.user(userId);
    return new OAuthTokenStore(db.sql()).accessTokensOf(userId);
  }

  /** One of a user's access tokens; 404 when it is another user's. */
  public OAuthAccessToken accessToken(String userId, String accessTokenId) {
    return new OAuthTokenStore(db.sql()).findAccessToken(accessTokenId)
        .filter(t -> t.authorizingUserId().equals(userId))
        .orElseThrow(() -> notFound("NotFound", "Could not find access token: " + accessTokenId + "."));
  }

  /** Deletes one of a user's access tokens; the Keystone tokens it gave stop working at once. */
  public void deleteAccessToken(String userId, String accessTokenId) {
    OAuthAccessToken token = new OAuthTokenStore(db.sql()).findAccessToken(accessTokenId)
        .orElseThrow(() -> notFound("NotFound", "Could not find access token: " + accessTokenId + "."));
    if (!token.authorizingUserId().equals(userId)) {
      throw unauthenticated("User IDs do not match: access token " + accessTokenId + " is not user " + userId + "'s.");
    }
    boolean deleted = db.inTransaction(sql -> new OAuthTokenStore(sql).deleteAccessToken(accessTokenId));
    if (!deleted) {
      throw notFound("NotFound", "Could not find access token: " + accessTokenId + ".");
    }
  }

  /** One role an access token of the user's was given; 401 for another user's, as Keystone. */
  public Role accessTokenRole(String userId, String accessTokenId, String roleId) {
    OAuthAccessToken token = new OAuthTokenStore(db.sql()).findAccessToken(accessTokenId)
        .orElseThrow(() -> notFound("NotFound", "Could not find access token: " + accessTokenId + "."));
    if (!token.authorizingUserId().equals(userId)) {
      throw unauthenticated("User IDs do not match: access token " + accessTokenId + " is not user " + userId + "'s.");
    }
    return token.roles().stream().filter(r -> r.id().equals(roleId)).findFirst()
        .orElseThrow(() -> notFound("RoleNotFound", "Could not find role: " + roleId + "."));
  }

  /**
   * Checks what oauthlib checks before a signature (the parameters are there, the version is 1.0,
   * the timestamp is near the server's clock), then the signature itself.
   */
  private void checkSigned(SignedRequest request, String consumerSecret, String tokenSecret, String refusal) {
    for (String name : List.of("oauth_signature", "oauth_signature_method", "oauth_timestamp", "oauth_nonce")) {
      required(request, name);
    }
    String version = request.oauth("oauth_version");
    if (version != null && !version.equals("1.0")) {
      throw invalid("ValidationError", "Validation failed with errors: invalid_request, detail message is:"
          + " oauth_version must be 1.0, not " + version + ".");
    }
    long timestamp;
    try {
      timestamp = Long.parseLong(request.oauth("oauth_timestamp"));
    } catch (NumberFormatException e) {
      throw invalid("ValidationError", "Validation failed with errors: invalid_request, detail message is:"
          + " oauth_timestamp must be a whole number of seconds since 1970.");
    }
    long drift = Math.abs(clock.instant().getEpochSecond() - timestamp);
    if (drift > TIMESTAMP_WINDOW.toSeconds()) {
      throw invalid("ValidationError", "Validation failed with errors: invalid_request, detail message is:"
          + " oauth_timestamp is " + drift + " seconds away from the server's clock; at most "
          + TIMESTAMP_WINDOW.toSeconds() + " are allowed.");
    }
    if (!OAuthSignatures.verify(request, consumerSecret, tokenSecret)) {
      throw unauthenticated(refusal + " The signature (" + request.oauth("oauth_signature_method")
          + ") does not match the request; Kiln takes HMAC-SHA1, HMAC-SHA256 and HMAC-SHA512.");
    }
  }

  private List<Role> resolve(List<RoleRef> refs) {
    List<Role> roles = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (RoleRef ref : refs) {
      Role role =
          ref.id() != null
              ? directory.role(ref.id())
              : directory.roles(ListFilter.none().eq("name", ref.name())).stream().findFirst()
                  .orElseThrow(() -> notFound("RoleNotFound", "Could not find role: " + ref.name() + "."));
      if (seen.add(role.id())) {
        roles.add(role);
      }
    }
    return roles;
  }

  /** The roles a user holds on a project: directly, by group, inherited, and those they imply. */
  private List<Role> heldOn(String userId, String projectId) {
    IdentityStore store = new IdentityStore(db.sql());
    return ImpliedRoles.expand(
        store, new ImpliedRoleStore(db.sql()), store.effectiveRolesOn(userId, new Target(TargetType.PROJECT, projectId)));
  }

  private static String required(SignedRequest request, String name) {
    String value = request.oauth(name);
    if (value == null || value.isEmpty()) {
      throw missing(name);
    }
    return value;
  }

  private static RuntimeException missing(String attribute) {
    return invalid("ValidationError", "Expecting to find " + attribute + " in request. The server could not"
        + " comply with the request since it is either malformed or otherwise incorrect. The client is"
        + " assumed to be in error.");
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  private String newSecret() {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private String newVerifier() {
    StringBuilder verifier = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      verifier.append(VERIFIER_CHARS.charAt(random.nextInt(VERIFIER_CHARS.length())));
    }
    return verifier.toString();
  }
}
