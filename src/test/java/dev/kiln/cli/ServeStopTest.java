package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.Main;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How `kiln serve` ends when it is asked to stop (SIGTERM, as a script's `kill` or a supervisor sends). */
class ServeStopTest {
  @TempDir Path dataDir;

  /**
   * Three rounds: the stop used to be hooked only after the ready line, so a stop that came at once
   * found no hook about half the time, and the database was left unclosed.
   */
  @Test
  void aStopRightAfterTheReadyLineClosesTheDatabase() throws Exception {
    for (int round = 1; round <= 3; round++) {
      startAndStopAtOnce();
      // The marker of an open database goes only when it was closed cleanly; left behind, the
      // next start takes the stop for a crash and scans the whole file.
      assertThat(dataDir.resolve("kiln.open")).as("the open marker after round %d", round).doesNotExist();
      assertThat(dataDir.resolve("kiln.mv.db")).exists();
    }
  }

  private void startAndStopAtOnce() throws Exception {
    Process kiln =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:+UseSerialGC", "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                    Main.class.getName(), "serve", "--port", "0", "--data-dir", dataDir.toString()))
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(kiln.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null && !line.startsWith("Kiln ready")) {
        // the banner comes after the ready line; nothing before it matters here
      }
      assertThat(line).as("the ready line").isNotNull();
      kiln.destroy(); // SIGTERM the moment the ready line is read, as a script that only waited for it
      assertThat(kiln.waitFor(60, TimeUnit.SECONDS)).as("stopped within a minute").isTrue();
    } finally {
      kiln.destroyForcibly();
    }
  }
}
