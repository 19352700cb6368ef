package dev.kiln.compute.servers;

import static dev.kiln.testing.Cloud.NOVA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.Cloud;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.TempestSchemas;
import dev.kiln.testing.Tenant;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Nova's usage reports: {@code os-simple-tenant-usage} counts each server's hours in the period,
 * from its launch to its deletion (kept after the server is gone), per project; and {@code
 * os-instance_usage_audit_log} reports the last completed month, with every compute host not
 * having run an audit.
 */
class UsageReportsApiTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.withHosts(List.of("left", "right"));
  private static final DateTimeFormatter TEMPEST = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS");
  private static Api admin;
  private static Tenant member;
  private static Tenant stranger;
  private static String imageId;

  @BeforeAll
  static void start() {
    admin = kiln.admin();
    member = Tenant.create(kiln, admin, "usage", "usage-user");
    stranger = Tenant.create(kiln, admin, "other", "other-user");
    imageId = Cloud.cirros(member.api());
  }

  private static String period(Duration before, Duration after) {
    LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
    return "?start=" + TEMPEST.format(now.minus(before)) + "&end=" + TEMPEST.format(now.plus(after));
  }

  private static JsonNode serverUsage(JsonNode usage, String id) {
    for (JsonNode s : usage.get("server_usages")) {
      if (s.get("instance_id").asText().equals(id)) {
        return s;
      }
    }
    throw new AssertionError(id + " not in " + usage);
  }

  @Test
  void aProjectsUsageCountsEachServersHoursFromLaunchToDeletion() {
    String server =
        member.api().withHeader("X-OpenStack-Nova-API-Version", "2.37").post(
                NOVA + "/servers",
                "{\"server\": {\"name\": \"metered\", \"flavorRef\": \"1\", \"imageRef\": \"" + imageId
                    + "\", \"networks\": \"none\"}}")
            .expect(202).at("/server/id").asText();
    Cloud.awaitBuilt(admin, server, "ACTIVE");
    String flavorName = admin.get(NOVA + "/flavors/1").expect(200).at("/flavor/name").asText();
    String day = period(Duration.ofDays(1), Duration.ofDays(1));
    TempestSchemas schemas = new TempestSchemas();

    Api.Response own = member.api().get(NOVA + "/os-simple-tenant-usage/" + member.projectId() + day);
    schemas.check("compute.v2_1.tenant_usages.get_tenant_usage", own);
    JsonNode usage = own.expect(200).get("tenant_usage");
    assertThat(usage.size()).isEqualTo(8);
    JsonNode running = serverUsage(usage, server);
    assertThat(running.get("state").asText()).isEqualTo("active");
    assertThat(running.get("ended_at").isNull()).isTrue();
    assertThat(running.get("name").asText()).isEqualTo("metered");
    // A running server is counted up to the period's end: about a day from now.
    assertThat(running.get("hours").asDouble()).isCloseTo(24.0, within(0.1));
    assertThat(usage.get("total_vcpus_usage").asDouble())
        .isCloseTo(running.get("vcpus").asInt() * running.get("hours").asDouble(), within(0.001));

    Api.Response all = admin.get(NOVA + "/os-simple-tenant-usage" + day + "&detailed=1");
    schemas.check("compute.v2_1.tenant_usages.list_tenant_usage", all);
    assertThat(all.expect(200).get("tenant_usages"))
        .anySatisfy(u -> {
          assertThat(u.get("tenant_id").asText()).isEqualTo(member.projectId());
          assertThat(u.size()).isEqualTo(8);
        });
    assertThat(admin.get(NOVA + "/os-simple-tenant-usage" + day).expect(200).at("/tenant_usages/0").has("server_usages"))
        .isFalse();

    Cloud.deleteServer(member.api(), server);
    JsonNode ended = serverUsage(
        member.api().get(NOVA + "/os-simple-tenant-usage/" + member.projectId() + day).expect(200).get("tenant_usage"),
        server);
    assertThat(ended.get("state").asText()).isEqualTo("terminated");
    assertThat(ended.get("ended_at").isNull()).isFalse();
    assertThat(ended.get("hours").asDouble()).isBetween(0.0, 0.1);
    assertThat(ended.get("flavor").asText()).isEqualTo(flavorName);
    schemas.verify();
  }

  @Test
  void from240AReportPagesOverServersWithLimitAndMarker() {
    Tenant pager = Tenant.create(kiln, admin, "pager", "pager-user");
    Api api = pager.api().withHeader("X-OpenStack-Nova-API-Version", "2.40");
    List<String> servers = new java.util.ArrayList<>();
    for (String name : List.of("first", "second")) {
      String id =
          pager.api().withHeader("X-OpenStack-Nova-API-Version", "2.37").post(
                  NOVA + "/servers",
                  "{\"server\": {\"name\": \"" + name + "\", \"flavorRef\": \"1\", \"imageRef\": \"" + imageId
                      + "\", \"networks\": \"none\"}}")
              .expect(202).at("/server/id").asText();
      Cloud.awaitBuilt(admin, id, "ACTIVE");
      servers.add(id);
    }
    String path = NOVA + "/os-simple-tenant-usage/" + pager.projectId() + period(Duration.ofDays(1), Duration.ofDays(1));
    JsonNode one = api.get(path + "&limit=1").expect(200);
    assertThat(one.at("/tenant_usage/server_usages")).hasSize(1);
    String first = one.at("/tenant_usage/server_usages/0/instance_id").asText();
    String next = one.at("/tenant_usage_links/0/href").asText();
    assertThat(next).contains("marker=" + first).contains("limit=1");
    JsonNode two = api.get(path + "&limit=1&marker=" + first).expect(200);
    assertThat(two.at("/tenant_usage/server_usages/0/instance_id").asText()).isNotEqualTo(first).isIn(servers);
    assertThat(api.get(path).expect(200).at("/tenant_usage/server_usages")).hasSize(2);
    assertThat(pager.api().get(path + "&limit=1").expect(200).at("/tenant_usage/server_usages"))
        .as("before 2.40 there is no paging")
        .hasSize(2);
    assertThat(api.get(path + "&marker=no-such-server").status()).isEqualTo(400);
    assertThat(api.get(path + "&limit=-1").status()).isEqualTo(400);
    servers.forEach(id -> Cloud.deleteServer(pager.api(), id));
  }

  @Test
  void aPeriodWithoutServersIsEmptyAndBadPeriodsAreRefused() {
    assertThat(
            member.api().get(NOVA + "/os-simple-tenant-usage/" + member.projectId() + "?start=2001-01-01T00:00:00&end=2001-02-01T00:00:00")
                .expect(200).get("tenant_usage"))
        .isEmpty();
    Api.Response reversed =
        admin.get(NOVA + "/os-simple-tenant-usage/" + member.projectId() + period(Duration.ofDays(-1), Duration.ofDays(-1)));
    assertThat(reversed.status()).isEqualTo(400);
    assertThat(reversed.json().at("/badRequest/message").asText())
        .isEqualTo("Invalid start time. The start time cannot occur after the end time.");
    assertThat(admin.get(NOVA + "/os-simple-tenant-usage?start=yesterday").status()).isEqualTo(400);
    assertThat(member.api().get(NOVA + "/os-simple-tenant-usage" + period(Duration.ofDays(1), Duration.ZERO)).status())
        .isEqualTo(403);
    assertThat(stranger.api().get(NOVA + "/os-simple-tenant-usage/" + member.projectId()).status()).isEqualTo(403);
    // An empty project id is a show of nothing, not the list (Tempest's negative test).
    assertThat(admin.get(NOVA + "/os-simple-tenant-usage/" + period(Duration.ofDays(1), Duration.ZERO)).status())
        .isEqualTo(404);
  }

  @Test
  void theAuditLogReportsTheLastCompletedMonthWithNoHostAudited() {
    TempestSchemas schemas = new TempestSchemas();
    Api.Response before = admin.get(NOVA + "/os-instance_usage_audit_log/2026-03-15%2010:00:00");
    schemas.check("compute.v2_1.instance_usage_audit_logs.get_instance_usage_audit_log", before);
    JsonNode log = before.expect(200).get("instance_usage_audit_log");
    assertThat(log.get("period_beginning").asText()).isEqualTo("2026-02-01 00:00:00");
    assertThat(log.get("period_ending").asText()).isEqualTo("2026-03-01 00:00:00");
    assertThat(log.get("hosts_not_run")).extracting(JsonNode::asText).containsExactly("left", "right");
    assertThat(log.get("num_hosts").asInt()).isEqualTo(2);
    assertThat(log.get("num_hosts_done").asInt()).isZero();
    assertThat(log.get("overall_status").asText()).isEqualTo("0 of 2 hosts done. 0 errors.");
    assertThat(admin.get(NOVA + "/os-instance_usage_audit_log/2026-03-01%2000:00:00.000000").expect(200)
            .at("/instance_usage_audit_log/period_ending").asText())
        .as("a period ends before the time given")
        .isEqualTo("2026-02-01 00:00:00");

    Api.Response now = admin.get(NOVA + "/os-instance_usage_audit_log");
    schemas.check("compute.v2_1.instance_usage_audit_logs.list_instance_usage_audit_log", now);
    LocalDateTime thisMonth = LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1);
    assertThat(now.expect(200).at("/instance_usage_audit_logs/period_ending").asText())
        .isEqualTo(thisMonth.toString().replace('T', ' ') + ":00");
    schemas.verify();

    Api.Response invalid = admin.get(NOVA + "/os-instance_usage_audit_log/invalid_time");
    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.json().at("/badRequest/message").asText()).isEqualTo("Invalid timestamp for date invalid_time");
    assertThat(member.api().get(NOVA + "/os-instance_usage_audit_log").status()).isEqualTo(403);
    assertThat(member.api().get(NOVA + "/os-instance_usage_audit_log/2026-03-15%2010:00:00").status()).isEqualTo(403);
  }
}
