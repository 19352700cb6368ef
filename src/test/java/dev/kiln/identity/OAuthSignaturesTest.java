package dev.kiln.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.identity.OAuthSignatures.Param;
import dev.kiln.identity.OAuthSignatures.SignedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * OAuth 1.0a signatures checked against ones python3-oauthlib (what Keystone's clients sign with)
 * made for the same requests and secrets.
 */
class OAuthSignaturesTest {
  private static SignedRequest request(String url, String query, String form, String authorization) {
    List<Param> params = new ArrayList<>(OAuthSignatures.parseForm(query));
    params.addAll(OAuthSignatures.parseForm(form));
    return new SignedRequest("POST", url, params, OAuthSignatures.parseAuthorization(authorization));
  }

  /** RFC 5849's example request (query, form body, realm, a token), signed by oauthlib. */
  private static final String RFC_AUTHORIZATION =
      "OAuth realm=\"Example\", oauth_nonce=\"7d8f3e4a\", oauth_timestamp=\"137131201\","
          + " oauth_version=\"1.0\", oauth_signature_method=\"HMAC-SHA1\","
          + " oauth_consumer_key=\"9djdj82h48djs9d2\", oauth_token=\"kkk9d7dh3k39sjv7\","
          + " oauth_signature=\"OB33pYjWAnf%2BxtOHN4Gmbdil168%3D\"";

  @Test
  void requestWithQueryFormBodyAndTokenVerifiesAsOauthlibSignedIt() {
    SignedRequest signed =
        request("http://Example.com:80/request", "b5=%3D%253D&a3=a&c%40=&a2=r%20b", "c2&a3=2+q", RFC_AUTHORIZATION);
    assertThat(OAuthSignatures.baseString(signed))
        .isEqualTo("POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D"
            + "%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a"
            + "%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7"
            + "%26oauth_version%3D1.0");
    assertThat(OAuthSignatures.verify(signed, "j49sk3j29djd", "dh893hdasih9")).isTrue();
    assertThat(OAuthSignatures.verify(signed, "j49sk3j29djd", "wrong")).isFalse();
    assertThat(OAuthSignatures.verify(signed, "wrong", "dh893hdasih9")).isFalse();
    // Another body, another signature.
    SignedRequest tampered =
        request("http://example.com/request", "b5=%3D%253D&a3=a&c%40=&a2=r%20b", "c2&a3=3+q", RFC_AUTHORIZATION);
    assertThat(OAuthSignatures.verify(tampered, "j49sk3j29djd", "dh893hdasih9")).isFalse();
  }

  @Test
  void requestTokenRequestAsKeystoneclientSignsIt() {
    SignedRequest signed =
        request("http://127.0.0.1:5000/identity/v3/OS-OAUTH1/request_token", "", "",
            "OAuth oauth_nonce=\"1234567890\", oauth_timestamp=\"1700000000\", oauth_version=\"1.0\","
                + " oauth_signature_method=\"HMAC-SHA1\", oauth_consumer_key=\"abc123\", oauth_callback=\"oob\","
                + " oauth_signature=\"EfRvOfyBSlSN73XDloPJ%2BkbRzcQ%3D\"");
    assertThat(OAuthSignatures.verify(signed, "s3cr3t", null)).isTrue();
    SignedRequest elsewhere =
        new SignedRequest("POST", "http://127.0.0.1:5001/identity/v3/OS-OAUTH1/request_token", signed.params(),
            signed.oauth());
    assertThat(OAuthSignatures.verify(elsewhere, "s3cr3t", null)).isFalse();
  }

  @Test
  void hmacSha256IsTakenAndPlaintextIsNot() {
    String authorization =
        "OAuth oauth_nonce=\"999\", oauth_timestamp=\"1700000000\", oauth_version=\"1.0\","
            + " oauth_signature_method=\"HMAC-SHA256\", oauth_consumer_key=\"abc123\", oauth_token=\"tok\","
            + " oauth_signature=\"nLlLL2zWiFRw%2FsEt55aBajpOJkjs23HrN82VGZoRhm0%3D\"";
    SignedRequest signed = request("https://host.example/identity/v3/auth/tokens", "", "", authorization);
    assertThat(OAuthSignatures.verify(signed, "s3cr3t", "tsec")).isTrue();

    Map<String, String> plaintext = new java.util.HashMap<>(signed.oauth());
    plaintext.put("oauth_signature_method", "PLAINTEXT");
    plaintext.put("oauth_signature", "s3cr3t&tsec");
    assertThat(OAuthSignatures.verify(new SignedRequest("POST", signed.url(), List.of(), plaintext), "s3cr3t", "tsec"))
        .isFalse();
  }

  @Test
  void authorizationHeaderIsParsedAndDecoded() {
    Map<String, String> params = OAuthSignatures.parseAuthorization(RFC_AUTHORIZATION);
    assertThat(params).containsEntry("realm", "Example").containsEntry("oauth_signature", "OB33pYjWAnf+xtOHN4Gmbdil168=");
    assertThat(OAuthSignatures.parseAuthorization("Bearer abc")).isEmpty();
    assertThat(OAuthSignatures.parseAuthorization(null)).isEmpty();
    assertThat(OAuthSignatures.encode("a b/~é")).isEqualTo("a%20b%2F~%C3%A9");
    assertThat(OAuthSignatures.decode("a%20b%2F~%C3%A9%")).isEqualTo("a b/~é%");
  }
}
