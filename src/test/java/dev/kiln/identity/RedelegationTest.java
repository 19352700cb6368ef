package dev.kiln.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.common.ServiceException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Keystone's arithmetic of redelegation depth and its limits on a redelegated trust. */
class RedelegationTest {
  private static final Role MEMBER = new Role("r-member", "member", null);
  private static final Role READER = new Role("r-reader", "reader", null);
  private static final Instant IN_AN_HOUR = Instant.parse("2030-01-01T01:00:00Z");

  private static Trusts.Request request(boolean allow, Integer count, Instant expires, Integer uses, boolean impersonation) {
    return new Trusts.Request("trustor", "trustee", "p1", impersonation, List.of(), expires, uses, allow, count);
  }

  private static Trust parent(int count, Instant expires, boolean impersonation, Role... roles) {
    return new Trust("t-parent", "trustor", "trustee", "p1", impersonation, expires, null, count > 0, count, null,
        List.of(roles), Instant.EPOCH);
  }

  @Test
  void firstTrustGetsTheMaximumOrWhatItAsksForWithinIt() {
    assertThat(Redelegation.plan(request(true, null, null, null, true), List.of(MEMBER), List.of(), 3)
        .redelegationCount()).isEqualTo(3);
    assertThat(Redelegation.plan(request(true, 1, null, null, true), List.of(MEMBER), List.of(), 3)
        .redelegationCount()).isEqualTo(1);
    assertThat(Redelegation.plan(request(false, 2, null, null, true), List.of(MEMBER), List.of(), 3)
        .redelegationCount()).isZero();
    assertThat(Redelegation.plan(request(true, 0, null, 5, true), List.of(MEMBER), List.of(), 3)
        .redelegationCount()).isZero();
    assertThatThrownBy(() -> Redelegation.plan(request(true, 4, null, null, true), List.of(MEMBER), List.of(), 3))
        .isInstanceOf(ServiceException.class).hasMessageContaining("greater than allowed 3");
    assertThatThrownBy(() -> Redelegation.plan(request(true, null, null, 5, true), List.of(MEMBER), List.of(), 3))
        .isInstanceOf(ServiceException.class).hasMessageContaining("remaining_uses");
  }

  @Test
  void childGetsOneLessAndItsParentsExpiryWhenItAsksNone() {
    Redelegation.Outcome child =
        Redelegation.plan(request(true, null, null, null, true), List.of(MEMBER), List.of(parent(3, IN_AN_HOUR, true, MEMBER)), 3);
    assertThat(child.redelegationCount()).isEqualTo(2);
    assertThat(child.expiresAt()).isEqualTo(IN_AN_HOUR);
    assertThat(Redelegation.plan(request(false, null, null, null, true), List.of(MEMBER),
        List.of(parent(3, null, true, MEMBER)), 3).redelegationCount()).isZero();
  }

  @Test
  void childAskingMoreThanItsParentIsRefused() {
    List<Trust> pedigree = List.of(parent(2, IN_AN_HOUR, false, MEMBER));
    assertThatThrownBy(() -> Redelegation.plan(request(false, null, null, null, false), List.of(READER), pedigree, 3))
        .hasMessageContaining("roles are not in redelegated trust");
    assertThatThrownBy(() -> Redelegation.plan(request(false, null, IN_AN_HOUR.plusSeconds(1), null, false),
        List.of(MEMBER), pedigree, 3)).hasMessageContaining("expiration");
    assertThatThrownBy(() -> Redelegation.plan(request(false, null, null, null, true), List.of(MEMBER), pedigree, 3))
        .hasMessageContaining("Impersonation is not allowed");
    assertThatThrownBy(() -> Redelegation.plan(request(false, null, null, 1, false), List.of(MEMBER), pedigree, 3))
        .hasMessageContaining("remaining_uses");
    assertThatThrownBy(() -> Redelegation.plan(request(true, 2, null, null, false), List.of(MEMBER), pedigree, 3))
        .hasMessageContaining("Modifying \"redelegation_count\"");
    assertThatThrownBy(() -> Redelegation.plan(request(false, null, null, null, false), List.of(MEMBER),
        List.of(parent(0, null, false, MEMBER)), 3)).hasMessageContaining("redelegation depth of 0");
    // A trust above that the maximum no longer allows (it was lowered since) stops the chain too.
    assertThatThrownBy(() -> Redelegation.plan(request(false, null, null, null, false), List.of(MEMBER),
        List.of(parent(5, null, false, MEMBER)), 3)).hasMessageContaining("redelegation depth of 5");
  }
}
