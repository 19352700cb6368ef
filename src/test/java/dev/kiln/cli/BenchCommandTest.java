package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What `kiln bench` refuses before it starts any server. */
class BenchCommandTest {
  @Test
  void zeroTimedRequestsIsRefusedWithTheOptionNamed() {
    assertThat(parsed("start", "--requests", "0").badCount()).isEqualTo("--requests must be at least 1, not 0.");
  }

  @Test
  void aNegativeStartCountIsRefused() {
    assertThat(parsed("identity", "--starts", "-2").badCount()).isEqualTo("--starts must be at least 1, not -2.");
  }

  @Test
  void zeroVolumeCyclesAreRefused() {
    assertThat(parsed("attach", "--volume-cycles", "0").badCount()).isEqualTo("--volume-cycles must be at least 1, not 0.");
  }

  @Test
  void volumeCyclesDefaultToTheBenchsOwnCount() {
    assertThat(parsed("attach").volumeCycles).isEqualTo(AttachBench.VOLUME_CYCLES);
    assertThat(parsed("attach", "--volume-cycles", "20000").volumeCycles).isEqualTo(20_000);
  }

  @Test
  void noBigFleetIsAllowed() {
    assertThat(parsed("requests", "--big-fleet", "0").badCount()).isNull();
  }

  @Test
  void theDefaultsAreAllTimeable() {
    assertThat(parsed("start").badCount()).isNull();
  }

  @Test
  void aRefusedCountExitsWithTwoBeforeAnyServerStarts() {
    assertThat(new CommandLine(new BenchCommand()).execute("start", "--rounds", "0")).isEqualTo(2);
  }

  private static BenchCommand parsed(String... args) {
    BenchCommand bench = new BenchCommand();
    new CommandLine(bench).parseArgs(args);
    return bench;
  }
}
