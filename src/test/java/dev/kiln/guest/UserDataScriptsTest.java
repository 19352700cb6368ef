package dev.kiln.guest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.testing.Await;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A RAW user_data script runs once per server, in its sandbox, fenced as cloud-init's would not need to be. */
class UserDataScriptsTest {
  @TempDir Path root;
  private UserDataScripts scripts;

  @AfterEach
  void tearDown() {
    if (scripts != null) {
      scripts.close();
    }
  }

  private UserDataScripts scripts(Duration limit) {
    scripts = new UserDataScripts(id -> root.resolve(id), limit);
    return scripts;
  }

  private static String b64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private Path dir(String server) {
    return root.resolve(server).resolve(UserDataScripts.DIRECTORY);
  }

  private void awaitDone(String server) {
    Await.until(() -> !scripts.running(server), Duration.ofSeconds(20), "the script of " + server + " ends");
  }

  @Test
  void aShebangScriptRunsInTheSandboxWithAPlainEnvironmentAndItsOutputKept() throws Exception {
    UserDataScripts s = scripts(Duration.ofSeconds(20));
    String script = "#!/bin/sh\necho \"home=$HOME\"\necho ran >> runs.txt\nenv | sort > env.txt\n";

    assertThat(s.booted("srv-1", b64(script))).isTrue();
    awaitDone("srv-1");

    Path dir = dir("srv-1");
    assertThat(Files.readString(dir.resolve("runs.txt"))).isEqualTo("ran\n");
    assertThat(Files.readString(dir.resolve("output.log")))
        .contains("home=" + dir)
        .contains("The user_data script exited with status 0.");
    assertThat(Files.readAllLines(dir.resolve("env.txt")))
        .allMatch(line -> line.startsWith("PATH=") || line.startsWith("HOME=") || line.startsWith("LANG=")
            || line.startsWith("PWD=") || line.startsWith("SHLVL=") || line.startsWith("_="));
  }

  @Test
  void theScriptRunsOnlyOnceHoweverOftenTheServerBoots() throws Exception {
    UserDataScripts s = scripts(Duration.ofSeconds(20));
    String script = "#!/bin/sh\necho ran >> runs.txt\n";

    s.booted("srv-2", b64(script));
    awaitDone("srv-2");
    assertThat(s.booted("srv-2", b64(script))).isFalse();
    // A new Kiln on the same data directory does not run it again either.
    assertThat(new UserDataScripts(id -> root.resolve(id), Duration.ofSeconds(20)).booted("srv-2", b64(script))).isFalse();

    assertThat(Files.readString(dir("srv-2").resolve("runs.txt"))).isEqualTo("ran\n");
  }

  @Test
  void userDataThatIsNoScriptIsLeftAlone() {
    UserDataScripts s = scripts(Duration.ofSeconds(20));

    assertThat(s.booted("srv-3", b64("#cloud-config\nruncmd: [touch, /tmp/x]\n"))).isFalse();
    assertThat(s.booted("srv-3", b64("plain text"))).isFalse();
    assertThat(s.booted("srv-3", null)).isFalse();
    assertThat(Files.exists(dir("srv-3"))).isFalse();
  }

  @Test
  void aScriptPastItsTimeLimitIsKilledWithItsChildren() throws Exception {
    UserDataScripts s = scripts(Duration.ofMillis(500));

    s.booted("srv-4", b64("#!/bin/sh\nsleep 30 &\nsleep 30\necho never > never.txt\n"));
    awaitDone("srv-4");

    assertThat(Files.exists(dir("srv-4").resolve("never.txt"))).isFalse();
    assertThat(Files.readString(dir("srv-4").resolve("output.log"))).contains("killed after running longer");
  }

  @Test
  void deletingTheServerKillsItsScript() throws Exception {
    UserDataScripts s = scripts(Duration.ofSeconds(60));
    s.booted("srv-5", b64("#!/bin/sh\nsleep 30\necho never > never.txt\n"));
    assertThat(s.running("srv-5")).isTrue();

    s.deleted("srv-5");

    assertThat(s.running("srv-5")).isFalse();
    assertThat(Files.readString(dir("srv-5").resolve("output.log"))).contains("its server is gone");
  }
}
