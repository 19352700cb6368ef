package dev.kiln.orchestration.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.Tenant;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * heat-tempest-plugin's API tests (the gabbi YAML files Heat's own gate runs) against a fresh Kiln,
 * as a member of a new project, through {@code scripts/heat-gabbi.sh}: every test passes except
 * those {@code scripts/heat-gabbi-gaps.txt} lists with their reason.
 */
class HeatGabbiTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();

  @Test
  void heatTempestPluginApiTestsPass() throws IOException, InterruptedException {
    Tenant tenant = Tenant.create(kiln, kiln.admin(), "gabbi", "gabbi-user");
    Path log = Files.createTempFile("heat-gabbi", ".txt");
    Process run =
        new ProcessBuilder(
                "scripts/heat-gabbi.sh", kiln.authUrl(), tenant.userName(), Tenant.PASSWORD, tenant.projectName())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    boolean finished = run.waitFor(120, TimeUnit.SECONDS);
    if (!finished) {
      run.destroyForcibly();
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    Files.deleteIfExists(log);
    assertThat(finished).as("heat-gabbi.sh finished within 120 s:\n" + output).isTrue();
    assertThat(run.exitValue()).as(output).isZero();
    assertThat(output).contains("ok    stacks_create_stack").doesNotContain("passes now");
  }
}
