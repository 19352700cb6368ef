package dev.kiln.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class GuestBootstrapTest {
  private static final String METADATA =
      "{\"os-collect-config\": {\"heat\": {\"user_id\": \"u1\", \"password\": \"secret\","
          + " \"auth_url\": \"http://127.0.0.1:5000/identity/v3\", \"project_id\": \"p1\","
          + " \"stack_id\": \"web/1234\", \"resource_name\": \"server\"}, \"collectors\": [\"ec2\", \"heat\", \"local\"],"
          + " \"polling_interval\": 2}, \"deployments\": []}";

  private static String base64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  /** As Python's email package writes Heat's SOFTWARE_CONFIG user_data, the metadata part in base64 (utf-8). */
  @Test
  void heatsMultipartCfnInitDataPartGivesTheHeatCollector() {
    String mime = String.join("\n",
        "Content-Type: multipart/mixed; boundary=\"===============4284612574315435399==\"",
        "MIME-Version: 1.0",
        "",
        "--===============4284612574315435399==",
        "Content-Type: text/cloud-config; charset=\"us-ascii\"",
        "MIME-Version: 1.0",
        "Content-Transfer-Encoding: 7bit",
        "Content-Disposition: attachment; filename=\"cloud-config\"",
        "",
        "#cloud-config",
        "user: ec2-user",
        "",
        "--===============4284612574315435399==",
        "Content-Type: text/x-cfninitdata; charset=\"utf-8\"",
        "MIME-Version: 1.0",
        "Content-Transfer-Encoding: base64",
        "Content-Disposition: attachment; filename=\"cfn-init-data\"",
        "",
        Base64.getMimeEncoder().encodeToString(METADATA.getBytes(StandardCharsets.UTF_8)),
        "",
        "--===============4284612574315435399==--",
        "");

    GuestBootstrap bootstrap = GuestBootstrap.fromUserData(base64(mime)).orElseThrow();

    assertThat(bootstrap.heat())
        .isEqualTo(new GuestBootstrap.Heat("http://127.0.0.1:5000/identity/v3", "u1", "secret", "p1", "web/1234", "server", null));
    assertThat(bootstrap.request()).isNull();
    assertThat(bootstrap.pollingInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(bootstrap.toString()).doesNotContain("secret");
  }

  @Test
  void plainJsonAndCloudConfigCarryTheSectionToo() {
    assertThat(GuestBootstrap.fromUserData(base64(METADATA)).orElseThrow().heat().stackId()).isEqualTo("web/1234");

    GuestBootstrap fromYaml = GuestBootstrap.fromUserData(base64("""
        #cloud-config
        os-collect-config:
          request:
            metadata_url: http://127.0.0.1:9/meta
          polling_interval: "0.5"
        """)).orElseThrow();
    assertThat(fromYaml.request().metadataUrl()).isEqualTo("http://127.0.0.1:9/meta");
    assertThat(fromYaml.heat()).isNull();
    assertThat(fromYaml.pollingInterval()).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void userDataWithoutAUsableCollectorHasNoBootstrap() {
    assertThat(GuestBootstrap.fromUserData(null)).isEmpty();
    assertThat(GuestBootstrap.fromUserData(base64("#!/bin/sh\necho hi\n"))).isEmpty();
    assertThat(GuestBootstrap.fromUserData("not base64 at all!")).isEmpty();
    assertThat(GuestBootstrap.fromUserData(base64("{\"os-collect-config\": {\"heat\": {\"user_id\": \"u\"}}}"))).isEmpty();
    assertThat(GuestBootstrap.fromUserData(
            base64("{\"os-collect-config\": {\"collectors\": [\"heat\"], \"request\": {\"metadata_url\": \"http://x\"}}}")))
        .as("a collector the list leaves out is not polled")
        .isEmpty();
  }
}
