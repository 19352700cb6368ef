package dev.kiln.compute.moves;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.OpenStackCli;
import dev.kiln.testing.RunningKiln;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Rebuild, resize and cold migration driven by Debian's real {@code openstack} (novaclient
 * underneath for these commands) and by openstacksdk's compute proxy.
 */
class ServerMovesCliTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static final OpenStackCli admin = kiln.adminCli();

  private static JsonNode show(String server) {
    return admin.json("server", "show", server);
  }

  @Test
  void rebuildResizeConfirmRevertAndMigrate() throws Exception {
    admin.ok(
        "--os-compute-api-version", "2.37", "server", "create", "--flavor", "m1.tiny", "--image", "cirros", "--nic", "none",
        "--wait", "mover");
    String id = show("mover").get("id").asText();

    admin.ok("server", "rebuild", "--image", "cirros", "--wait", "mover");
    admin.awaitServerStatus("mover", "ACTIVE");
    assertThat(show("mover").get("id").asText()).isEqualTo(id);

    String source = show("mover").get("OS-EXT-SRV-ATTR:host").asText();
    admin.ok("server", "resize", "--flavor", "m1.small", "--wait", "mover");
    admin.awaitServerStatus("mover", "VERIFY_RESIZE");
    assertThat(show("mover").get("flavor").asText()).contains("m1.small");
    admin.ok("server", "resize", "revert", "mover");
    admin.awaitServerStatus("mover", "ACTIVE");
    JsonNode reverted = show("mover");
    assertThat(reverted.get("flavor").asText()).contains("m1.tiny");
    assertThat(reverted.get("OS-EXT-SRV-ATTR:host").asText()).isEqualTo(source);

    admin.ok("server", "resize", "--flavor", "m1.small", "--wait", "mover");
    admin.awaitServerStatus("mover", "VERIFY_RESIZE");
    admin.ok("server", "resize", "confirm", "mover");
    admin.awaitServerStatus("mover", "ACTIVE");
    assertThat(show("mover").get("flavor").asText()).contains("m1.small");

    String before = show("mover").get("OS-EXT-SRV-ATTR:host").asText();
    admin.ok("server", "migrate", "--wait", "mover");
    admin.awaitServerStatus("mover", "VERIFY_RESIZE");
    assertThat(show("mover").get("OS-EXT-SRV-ATTR:host").asText()).isNotEqualTo(before);
    admin.ok("server", "migration", "confirm", "mover");
    admin.awaitServerStatus("mover", "ACTIVE");

    String here = show("mover").get("OS-EXT-SRV-ATTR:host").asText();
    String target = here.equals("kiln-compute-1") ? "kiln-compute-2" : "kiln-compute-1";
    admin.ok("--os-compute-api-version", "2.56", "server", "migrate", "--host", target, "--wait", "mover");
    admin.awaitServerStatus("mover", "VERIFY_RESIZE");
    assertThat(show("mover").get("OS-EXT-SRV-ATTR:host").asText()).isEqualTo(target);
    admin.ok("server", "migrate", "revert", "mover");
    admin.awaitServerStatus("mover", "ACTIVE");
    assertThat(show("mover").get("OS-EXT-SRV-ATTR:host").asText()).isEqualTo(here);

    JsonNode migrations = admin.json("--os-compute-api-version", "2.59", "server", "migration", "list", "--server", "mover");
    assertThat(migrations).hasSize(4);
    assertThat(migrations.toString()).contains("reverted").contains("confirmed").contains("resize").contains("migration");
    assertThat(admin.ok("server", "event", "list", "mover"))
        .contains("rebuild").contains("resize").contains("confirmResize").contains("revertResize").contains("migrate");
    // Nothing to confirm any more: Nova's 409.
    assertThat(admin.run("server", "resize", "confirm", "mover").exitCode()).isNotZero();
    admin.ok("server", "delete", "--wait", "mover");
  }

  /**
   * What openstacksdk 0.101 (python3-openstacksdk) sends and expects for each move. Its waits poll
   * every 0.2 s rather than its default 2 s: Kiln's moves finish well within that.
   */
  private static final String SDK_SCRIPT =
      """
      import openstack
      conn = openstack.connect()
      c = conn.compute
      image = conn.image.find_image('cirros')
      s = c.create_server(name='sdk-mover', flavor_id='1', image_id=image.id, networks='none')
      s = c.wait_for_server(s, interval=0.2, wait=30)
      rebuilt = c.rebuild_server(s, image=image.id, name='sdk-reborn', admin_password='pw')
      assert rebuilt.status == 'REBUILD', rebuilt.status
      s = c.wait_for_server(s, status='ACTIVE', interval=0.2, wait=30)
      assert s.name == 'sdk-reborn', s.name
      c.resize_server(s, '2')
      s = c.wait_for_server(s, status='VERIFY_RESIZE', interval=0.2, wait=30)
      c.revert_server_resize(s)
      s = c.wait_for_server(s, status='ACTIVE', interval=0.2, wait=30)
      assert s.flavor.original_name == 'm1.tiny', s.flavor
      c.resize_server(s, '2')
      s = c.wait_for_server(s, status='VERIFY_RESIZE', interval=0.2, wait=30)
      c.confirm_server_resize(s)
      s = c.wait_for_server(s, status='ACTIVE', interval=0.2, wait=30)
      assert s.flavor.original_name == 'm1.small', s.flavor
      host = s.compute_host
      c.migrate_server(s)
      s = c.wait_for_server(s, status='VERIFY_RESIZE', interval=0.2, wait=30)
      assert s.compute_host != host, host
      c.confirm_server_resize(s)
      s = c.wait_for_server(s, status='ACTIVE', interval=0.2, wait=30)
      statuses = sorted(m.status for m in c.migrations() if m.server_id == s.id)
      print(' '.join(statuses))
      c.delete_server(s)
      c.wait_for_delete(s, interval=0.2, wait=30)
      """;

  @Test
  void openstackSdkRebuildsResizesAndMigrates() throws Exception {
    ProcessBuilder python = new ProcessBuilder("/usr/bin/python3", "-c", SDK_SCRIPT).redirectErrorStream(true);
    python.environment().keySet().removeIf(k -> k.startsWith("OS_"));
    python.environment().put("OS_AUTH_URL", kiln.authUrl());
    python.environment().put("OS_USERNAME", "admin");
    python.environment().put("OS_PASSWORD", RunningKiln.ADMIN_PASSWORD);
    python.environment().put("OS_PROJECT_NAME", "admin");
    python.environment().put("OS_USER_DOMAIN_NAME", "Default");
    python.environment().put("OS_PROJECT_DOMAIN_NAME", "Default");
    python.environment().put("OS_IDENTITY_API_VERSION", "3");
    python.environment().put("OS_INTERFACE", "public");
    Process process = python.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    assertThat(output.strip()).isEqualTo("confirmed confirmed reverted");
  }
}
