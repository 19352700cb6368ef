package dev.kiln.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.common.ServiceException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QuotasTest {
  @Test
  void aSetLimitReplacesTheDefaultAndTheDefaultsFixTheOrder() {
    Map<String, Long> defaults = new LinkedHashMap<>();
    defaults.put("b", 1L);
    defaults.put("a", 2L);
    assertThat(Quotas.overlay(defaults, Map.of("a", 5L, "unknown", 9L))).containsExactly(Map.entry("b", 1L), Map.entry("a", 5L));
  }

  @Test
  void minusOneIsNoLimitAndAskingForNothingNeverExceeds() {
    assertThat(new Demand("x", 1_000_000, 10, -1).exceeds()).isFalse();
    assertThat(new Demand("x", 0, 11, 10).exceeds()).isFalse();
    assertThat(new Demand("x", 1, 9, 10).exceeds()).isFalse();
    assertThat(new Demand("x", 2, 9, 10).exceeds()).isTrue();
    assertThatThrownBy(() -> new Demand("x", -1, 0, 10)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void novaNamesEveryExceededQuotaInTheOrderAsked() {
    assertThatThrownBy(
            () ->
                Quotas.require(
                    QuotaStyle.NOVA,
                    List.of(new Demand("cores", 4, 18, 20), new Demand("instances", 1, 1, 10), new Demand("ram", 4096, 50000, 51200))))
        .isInstanceOfSatisfying(
            ServiceException.class,
            e -> {
              assertThat(e.kind().httpStatus()).isEqualTo(403);
              assertThat(e.type()).isEqualTo("TooManyInstances");
              assertThat(e.getMessage())
                  .isEqualTo("Quota exceeded for cores, ram: Requested 4, 4096, but already used 18, 50000 of 20, 51200 cores, ram");
            });
  }

  @Test
  void neutronListsTheResourcesAsPythonPrintsAList() {
    assertThatThrownBy(() -> Quotas.require(QuotaStyle.NEUTRON, List.of(new Demand("port", 1, 500, 500))))
        .isInstanceOfSatisfying(
            ServiceException.class,
            e -> {
              assertThat(e.kind().httpStatus()).isEqualTo(409);
              assertThat(e.getMessage()).isEqualTo("Quota exceeded for resources: ['port'].");
            });
  }

  @Test
  void cinderSpeaksOfTheFirstExceededResourceOnly() {
    assertThatThrownBy(
            () ->
                Quotas.require(
                    QuotaStyle.CINDER,
                    List.of(new Demand("gigabytes", 0, 10, 1000), new Demand("snapshots", 1, 10, 10), new Demand("volumes", 1, 10, 10))))
        .isInstanceOfSatisfying(
            ServiceException.class,
            e -> {
              assertThat(e.kind().httpStatus()).isEqualTo(413);
              assertThat(e.getMessage()).isEqualTo("SnapshotLimitExceeded: Maximum number of snapshots allowed (10) exceeded");
            });
  }

  @Test
  void aLimitBelowUsageIsRefusedButMinusOneIsNot() {
    Map<String, Long> used = Map.of("network", 3L);
    Quotas.requireNotBelowUsage(QuotaStyle.NEUTRON, Map.of("network", -1L), r -> used.getOrDefault(r, 0L));
    Quotas.requireNotBelowUsage(QuotaStyle.NEUTRON, Map.of("network", 3L), r -> used.getOrDefault(r, 0L));
    assertThatThrownBy(() -> Quotas.requireNotBelowUsage(QuotaStyle.NEUTRON, Map.of("network", 2L), r -> used.getOrDefault(r, 0L)))
        .hasMessage("Quota limit 2 for network must be greater than or equal to already used 3");
  }

  @Test
  void tableNamesMustBePlainIdentifiers() {
    assertThatThrownBy(() -> new QuotaTables("q; DROP TABLE x", "project_id", "l", "project_id"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new QuotaTables("q", "project_id", "l", null)).isInstanceOf(IllegalArgumentException.class);
    assertThat(QuotaTables.limitsOnly("volume_quota", "project_id").lockTable()).isNull();
  }
}
