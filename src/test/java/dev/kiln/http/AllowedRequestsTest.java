package dev.kiln.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A token's access rules allow a request by service type, method and path below the mount. */
class AllowedRequestsTest {
  private static final ServiceMount COMPUTE = ServiceMount.of("/compute", "compute");
  private static final ServiceMount VOLUME = ServiceMount.of("/volume", "volumev3", "block-storage");
  private static final ServiceMount IDENTITY = ServiceMount.of("/identity", "identity");

  private static final AllowedRequests RULES =
      AllowedRequests.only(
          List.of(
              new AllowedRequests.Rule("compute", "GET", "/v2.1/servers/*/ips"),
              new AllowedRequests.Rule("block-storage", "POST", "/v3/*/volumes")));

  @Test
  void ruleAllowsItsMethodAndPathOnItsServiceOnly() {
    assertThat(RULES.allow(COMPUTE, "GET", "/compute/v2.1/servers/s1/ips")).isTrue();
    assertThat(RULES.allow(COMPUTE, "DELETE", "/compute/v2.1/servers/s1/ips")).isFalse();
    assertThat(RULES.allow(COMPUTE, "GET", "/compute/v2.1/servers")).isFalse();
    assertThat(RULES.allow(VOLUME, "GET", "/volume/v2.1/servers/s1/ips")).isFalse();
    assertThat(RULES.allow(null, "GET", "/compute/v2.1/servers/s1/ips")).isFalse();
  }

  @Test
  void serviceAnsweringAsSeveralTypesMatchesARuleForAnyOfThem() {
    assertThat(RULES.allow(VOLUME, "POST", "/volume/v3/p1/volumes")).isTrue();
    assertThat(RULES.allow(VOLUME, "GET", "/volume/v3/p1/volumes")).isFalse();
  }

  @Test
  void tokenValidationIsAlwaysAllowedOnIdentity() {
    assertThat(RULES.allow(IDENTITY, "GET", "/identity/v3/auth/tokens")).isTrue();
    assertThat(RULES.allow(IDENTITY, "DELETE", "/identity/v3/auth/tokens")).isFalse();
    assertThat(RULES.allow(IDENTITY, "GET", "/identity/v3/users")).isFalse();
    assertThat(RULES.allow(COMPUTE, "GET", "/compute/v3/auth/tokens")).isFalse();
  }

  @Test
  void noRulesMeansAnyRequest() {
    assertThat(AllowedRequests.only(List.of())).isSameAs(AllowedRequests.ANY);
    assertThat(AllowedRequests.ANY.allow(null, "DELETE", "/anything")).isTrue();
  }
}
