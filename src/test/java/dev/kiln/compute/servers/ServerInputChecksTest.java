package dev.kiln.compute.servers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.testing.Api;
import dev.kiln.testing.Cloud;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.RunningKiln;
import dev.kiln.testing.Tenant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Input Nova refuses, refused as Nova does: over-long strings are a 400 naming the field (never a
 * 500 from the database), admin-only placement fields are a 403 to members, unknown fields are a
 * 400, and a token without a project lists no project's servers unless it asks for all of them.
 */
class ServerInputChecksTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static Tenant member;
  private static Api admin;
  private static String image;
  private static String networkId;

  @BeforeAll
  static void start() {
    admin = kiln.admin();
    member = Tenant.create(kiln, admin, "checks", "checks-user");
    image = Cloud.cirros(member.api());
    networkId = Cloud.network(member.api(), "checks-net", "10.95.0.0/24");
  }

  private static String create(String extra) {
    return "{\"server\": {\"name\": \"s\", \"flavorRef\": \"1\", \"imageRef\": \"" + image + "\", \"networks\": [{\"uuid\": \""
        + networkId + "\"}]" + extra + "}}";
  }

  @Test
  void overLongNamesDescriptionsAndDevicesAreRefusedNamingTheField() {
    Api v219 = member.atNova("2.19");
    String longText = "x".repeat(256);
    assertThat(v219.post(Cloud.NOVA + "/servers", create(",\"description\": \"" + longText + "\"")).expect(400).toString())
        .contains("description");
    String server = Cloud.bootActive(member.api(), image, networkId, "checked");
    assertThat(v219.put(Cloud.NOVA + "/servers/" + server, "{\"server\": {\"description\": \"" + longText + "\"}}").expect(400)
        .toString()).contains("description");
    assertThat(v219.put(Cloud.NOVA + "/servers/" + server, "{\"server\": {\"name\": \"" + longText + "\"}}").expect(400).toString())
        .contains("name");
    assertThat(v219.put(Cloud.NOVA + "/servers/" + server, "{\"server\": {\"flavorRef\": \"2\"}}").expect(400).toString())
        .contains("flavorRef");
    String volume = Cloud.availableVolume(member.api(), member.cinder(), "checked-vol");
    assertThat(member.api().post(Cloud.NOVA + "/servers/" + server + "/os-volume_attachments",
            "{\"volumeAttachment\": {\"volumeId\": \"" + volume + "\", \"device\": \"/dev/vd" + "b".repeat(300) + "\"}}")
        .expect(400).toString()).contains("device");
    assertThat(Cloud.volumeStatus(member.api(), member.cinder(), volume)).isEqualTo("available");
  }

  @Test
  void unknownFieldsInANetworkEntryAreRefused() {
    assertThat(member.api().post(Cloud.NOVA + "/servers",
            "{\"server\": {\"name\": \"s\", \"flavorRef\": \"1\", \"imageRef\": \"" + image + "\", \"networks\": [{\"uuid\": \""
                + networkId + "\", \"colour\": \"red\"}]}}")
        .expect(400).toString()).contains("colour");
  }

  @Test
  void placementFieldsAreForAdminsOnly() {
    assertThat(member.api().post(Cloud.NOVA + "/servers", create(",\"availability_zone\": \"nova:kiln-compute-1\"")).expect(403)
        .toString()).contains("forced_host");
    assertThat(member.atNova("2.74").post(Cloud.NOVA + "/servers", create(",\"host\": \"kiln-compute-1\"")).expect(403).toString())
        .contains("requested_destination");
    assertThat(member.atNova("2.74").post(Cloud.NOVA + "/servers", create(",\"hypervisor_hostname\": \"kiln-compute-1\"")).expect(403)
        .toString()).contains("requested_destination");
    assertThat(member.atNova("2.73").post(Cloud.NOVA + "/servers", create(",\"host\": \"kiln-compute-1\"")).expect(400).toString())
        .contains("host");
    assertThat(member.api().get(Cloud.NOVA + "/servers?name=s$").expect(200).get("servers")).isEmpty();
  }

  @Test
  void aDomainScopedAdminTokenListsNoServersWithoutAllTenants() {
    Cloud.bootActive(member.api(), image, networkId, "seen-by-all-tenants");
    Api anonymous = kiln.api();
    String token =
        anonymous.post(
                "/identity/v3/auth/tokens",
                "{\"auth\": {\"identity\": {\"methods\": [\"password\"], \"password\": {\"user\": {\"name\": \"admin\","
                    + " \"domain\": {\"id\": \"default\"}, \"password\": \"" + RunningKiln.ADMIN_PASSWORD + "\"}}},"
                    + " \"scope\": {\"domain\": {\"id\": \"default\"}}}}")
            .header("X-Subject-Token");
    Api domainAdmin = anonymous.withToken(token);
    assertThat(domainAdmin.get(Cloud.NOVA + "/servers").expect(200).get("servers")).isEmpty();
    assertThat(domainAdmin.get(Cloud.NOVA + "/servers?all_tenants=1").expect(200).get("servers").toString())
        .contains("seen-by-all-tenants");
  }
}
