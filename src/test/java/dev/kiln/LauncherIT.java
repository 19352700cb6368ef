package dev.kiln;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.kiln.testing.Api;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first screen, as a newcomer runs it: {@code ./kiln serve} announces where it is,
 * {@code ./kiln clouds-yaml} gives a clouds.yaml the real {@code openstack} client can use, and
 * two Kilns run side by side.
 */
class LauncherIT {
  private static final Pattern READY = Pattern.compile("^Kiln ready at (http://127\\.0\\.0\\.1:(\\d+))");
  private final List<Process> processes = new ArrayList<>();

  @TempDir Path tmp;

  @AfterEach
  void stopAll() throws InterruptedException {
    for (Process p : processes) {
      p.destroy();
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  @Test
  void serveAnnouncesReadinessAndCloudsYamlWorksWithTheRealClient() throws Exception {
    Matcher ready = serve(tmp.resolve("one"), "pw-one");
    String baseUrl = ready.group(1);
    String port = ready.group(2);
    assertThat(new Api(baseUrl).token("admin", "pw-one", "admin")).isNotBlank();

    Process yaml =
        launcher("clouds-yaml", "--port", port, "--admin-password", "pw-one").start();
    String cloudsYaml = new String(yaml.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(yaml.waitFor(60, TimeUnit.SECONDS)).isTrue();
    JsonNode parsed = new YAMLMapper().readTree(cloudsYaml);
    assertThat(parsed.at("/clouds/kiln/auth/auth_url").asText()).isEqualTo(baseUrl + "/identity/v3");
    Path file = tmp.resolve("clouds.yaml");
    Files.writeString(file, cloudsYaml);

    ProcessBuilder openstack =
        new ProcessBuilder("/usr/bin/openstack", "--os-cloud", "kiln", "token", "issue", "-f", "value", "-c", "id")
            .redirectErrorStream(true);
    openstack.environment().keySet().removeIf(k -> k.startsWith("OS_"));
    openstack.environment().put("OS_CLIENT_CONFIG_FILE", file.toString());
    Process client = openstack.start();
    String out = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(client.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(client.exitValue()).as(out).isZero();
    assertThat(out.strip()).hasSize(43);
  }

  @Test
  void twoKilnsRunSideBySide() throws Exception {
    String first = serve(tmp.resolve("a"), "pw-a").group(1);
    String second = serve(tmp.resolve("b"), "pw-b").group(1);
    assertThat(first).isNotEqualTo(second);
    assertThat(new Api(first).token("admin", "pw-a", "admin")).isNotBlank();
    assertThat(new Api(second).token("admin", "pw-b", "admin")).isNotBlank();
  }

  /** Starts {@code ./kiln serve} on a free port and waits for its ready line. */
  private Matcher serve(Path dataDir, String password) throws Exception {
    Process process =
        launcher("serve", "--port", "0", "--data-dir", dataDir.toString(), "--admin-password", password)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    processes.add(process);
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<Matcher> ready =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                String line;
                while ((line = out.readLine()) != null) {
                  Matcher m = READY.matcher(line);
                  if (m.find()) {
                    Thread.ofVirtual().start(() -> out.lines().forEach(l -> {}));
                    return m;
                  }
                }
                throw new IllegalStateException("kiln serve exited without a ready line");
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            });
    return ready.get(120, TimeUnit.SECONDS);
  }

  private static ProcessBuilder launcher(String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of("kiln").toAbsolutePath().toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    // The AOT training run is measured by the bench, not needed here.
    builder.environment().put("KILN_AOT", "0");
    return builder;
  }
}
