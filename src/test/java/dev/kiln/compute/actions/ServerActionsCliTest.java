package dev.kiln.compute.actions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.OpenStackCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Server actions driven by Debian's real {@code openstack}. */
class ServerActionsCliTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static final OpenStackCli admin = kiln.adminCli();

  @Test
  void stopStartRebootPauseSuspendLock() throws Exception {
    admin.ok(
        "--os-compute-api-version", "2.37", "server", "create", "--flavor", "m1.tiny", "--image", "cirros", "--nic", "none",
        "--wait", "a1");
    admin.ok("server", "stop", "a1");
    admin.awaitServerStatus("a1", "SHUTOFF");
    admin.ok("server", "start", "a1");
    admin.awaitServerStatus("a1", "ACTIVE");
    admin.ok("server", "reboot", "--wait", "a1");
    admin.awaitServerStatus("a1", "ACTIVE");
    admin.ok("server", "reboot", "--hard", "--wait", "a1");
    admin.awaitServerStatus("a1", "ACTIVE");
    admin.ok("server", "pause", "a1");
    admin.awaitServerStatus("a1", "PAUSED");
    admin.ok("server", "unpause", "a1");
    admin.awaitServerStatus("a1", "ACTIVE");
    admin.ok("server", "suspend", "a1");
    admin.awaitServerStatus("a1", "SUSPENDED");
    admin.ok("server", "resume", "a1");
    admin.awaitServerStatus("a1", "ACTIVE");
    admin.ok("--os-compute-api-version", "2.73", "server", "lock", "--reason", "hands off", "a1");
    assertThat(admin.ok("--os-compute-api-version", "2.73", "server", "show", "-c", "locked_reason", "-f", "value", "a1"))
        .contains("hands off");
    admin.ok("server", "unlock", "a1");
    assertThat(admin.run("server", "start", "a1").exitCode()).isNotZero(); // already ACTIVE: 409
    assertThat(admin.ok("server", "event", "list", "a1"))
        .contains("create").contains("stop").contains("reboot").contains("suspend").contains("unlock");
    admin.ok("server", "delete", "--wait", "a1");
  }
}
