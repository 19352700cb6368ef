package dev.kiln.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.common.IdGenerator;
import dev.kiln.identity.RoleAssignment.Target;
import dev.kiln.identity.RoleAssignment.TargetType;
import dev.kiln.store.Database;
import dev.kiln.store.TestPostgres;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * OS-OAUTH1's token exchange and trust redelegation on PostgreSQL, whose SQL (the row lock a
 * redelegation takes on its parent, the revocations by subquery, the single-use delete of a
 * request token) differs from the embedded database's.
 */
class IdentityDelegationPostgresTest {
  private static final String URL = "http://kiln.test/identity/v3/OS-OAUTH1/";

  private static OAuthSignatures.SignedRequest signed(
      String path, OAuthConsumer consumer, Map<String, String> extra, String tokenSecret) {
    Map<String, String> oauth = new LinkedHashMap<>();
    oauth.put("oauth_consumer_key", consumer.id());
    oauth.put("oauth_nonce", UUID.randomUUID().toString().replace("-", ""));
    oauth.put("oauth_timestamp", Long.toString(Clock.systemUTC().instant().getEpochSecond()));
    oauth.put("oauth_signature_method", "HMAC-SHA1");
    oauth.putAll(extra);
    OAuthSignatures.SignedRequest unsigned = new OAuthSignatures.SignedRequest("POST", URL + path, List.of(), oauth);
    oauth.put("oauth_signature",
        OAuthSignatures.sign("HmacSHA1", OAuthSignatures.baseString(unsigned), consumer.secret(), tokenSecret));
    return new OAuthSignatures.SignedRequest("POST", URL + path, List.of(), oauth);
  }

  @Test
  void oauthExchangeAndTrustRedelegationWorkOnPostgres() {
    try (Database db = TestPostgres.newDatabase()) {
      Clock clock = Clock.systemUTC();
      IdGenerator ids = IdGenerator.random();
      SecureRandom random = new SecureRandom();
      PasswordHasher hasher = new PasswordHasher(1_000, random);
      Directory directory = new Directory(db, clock, ids, hasher);
      TokenService tokens = new TokenService(db, clock, ids, hasher, random, Duration.ofHours(1));
      Domain domain = directory.createDomain("d", "", true);
      Project project = directory.createProject("p", domain.id(), null, "", true);
      User owner = directory.createUser("owner", domain.id(), "pw", null, null, "", true);
      User trustee = directory.createUser("trustee", domain.id(), "pw", null, null, "", true);
      User second = directory.createUser("second", domain.id(), "pw", null, null, "", true);
      Role role = directory.createRole("worker", "");
      directory.grant(owner.id(), role.id(), new Target(TargetType.PROJECT, project.id()));
      TokenInfo ownerToken =
          tokens.issueWithPassword(
                  new Credentials(owner.id(), null, null, null, "pw"),
                  new ScopeRequest.ProjectRequest(project.id(), null, null, null))
              .info();

      OAuthConsumer consumer = directory.oauthConsumers().create("printer", "{}");
      OAuthTokens oauth = directory.oauthTokens();
      OAuthTokens.Issued request =
          oauth.createRequestToken(signed("request_token", consumer, Map.of("oauth_callback", "oob"), null), project.id());
      String verifier = oauth.authorize(ownerToken, request.key(), List.of(new OAuthTokens.RoleRef(role.id(), null)));
      OAuthTokens.Issued access =
          oauth.createAccessToken(
              signed("access_token", consumer, Map.of("oauth_token", request.key(), "oauth_verifier", verifier),
                  request.secret()));
      OAuthAccessToken accessToken =
          oauth.authenticate(signed("auth", consumer, Map.of("oauth_token", access.key()), access.secret()));
      IssuedToken viaOAuth = tokens.issueWithOAuth(accessToken, new ScopeRequest.Default());
      assertThat(viaOAuth.info().roles()).extracting(Role::id).containsExactly(role.id());
      assertThat(tokens.validate(viaOAuth.value())).isPresent();
      directory.oauthConsumers().delete(consumer.id());
      assertThat(tokens.validate(viaOAuth.value())).isEmpty();

      Trusts trusts = directory.trusts();
      List<Trusts.RoleRef> roles = List.of(new Trusts.RoleRef(role.id(), null));
      Trust first =
          trusts.create(ownerToken, new Trusts.Request(owner.id(), trustee.id(), project.id(), true, roles, null, null, true, null));
      assertThat(first.redelegationCount()).isEqualTo(3);
      IssuedToken trustToken =
          tokens.issueWithPassword(
              new Credentials(trustee.id(), null, null, null, "pw"), new ScopeRequest.TrustRequest(first.id()));
      Trust child =
          trusts.create(
              trustToken.info(), new Trusts.Request(owner.id(), second.id(), project.id(), true, roles, null, null, false, null));
      assertThat(child.redelegatedTrustId()).isEqualTo(first.id());
      assertThat(child.redelegationCount()).isZero();
      IssuedToken childToken =
          tokens.issueWithPassword(
              new Credentials(second.id(), null, null, null, "pw"), new ScopeRequest.TrustRequest(child.id()));
      assertThat(tokens.validate(childToken.value())).isPresent();

      trusts.delete(ownerToken, false, first.id());
      assertThat(tokens.validate(childToken.value())).isEmpty();
      assertThat(trusts.list(owner.id(), false, owner.id(), null)).isEmpty();
    }
  }
}
