package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.KilnConfig;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

class QuickServeArgumentsTest {

  @Test
  void readsEveryOptionPicocliKnowsForServeAndNoOther() {
    Set<String> picocli =
        new CommandLine(new ServeCommand())
            .getCommandSpec().options().stream()
                .filter(option -> !option.usageHelp() && !option.versionHelp())
                .map(OptionSpec::longestName)
                .collect(Collectors.toSet());

    assertThat(QuickServeArguments.names()).containsExactlyInAnyOrderElementsOf(picocli);
  }

  @Test
  void plainArgumentsGiveTheSameSettingsAsPicocli() {
    List<String[]> cases =
        List.of(
            new String[] {},
            new String[] {"--port", "0", "--data-dir", "/tmp/kiln-a"},
            new String[] {"--port=5001", "--host=0.0.0.0", "--data-dir=rel/dir"},
            new String[] {"--database-url", "postgresql://kiln:pw@127.0.0.1:5432/kiln", "--public-url", "https://cloud.example"},
            new String[] {"--admin-password", "s3cret=with=equals", "--token-ttl", "PT15M", "--password-hash-iterations", "1000"},
            new String[] {"--compute-hosts", "a,b", "--compute-hosts", "c"},
            new String[] {"--compute-hosts=x"},
            new String[] {"--compute-host-vcpus", "64", "--compute-host-ram-mb", "131072", "--compute-host-disk-gb", "2000"},
            new String[] {"--compute-zone", "a=az1", "--compute-zone", "b=az2=odd", "--compute-latency", "250ms"},
            new String[] {"--compute-fault", "spawn=next:2", "--compute-fault=attach_volume=0.1@host-1"});
    for (String[] args : cases) {
      KilnConfig quick = QuickServeArguments.parse(args).orElseThrow().toConfig();

      assertThat(quick).as(Arrays.toString(args)).isEqualTo(viaPicocli(args));
    }
  }

  @Test
  void leavesHelpTyposAndBadValuesToPicocli() {
    List<String[]> cases =
        List.of(
            new String[] {"--help"},
            new String[] {"-h"},
            new String[] {"--version"},
            new String[] {"--prot", "5000"},
            new String[] {"--port"},
            new String[] {"--port", "five"},
            new String[] {"--port", "99999999999"},
            new String[] {"--port", "1", "--port", "2"},
            new String[] {"--token-ttl", "15 minutes"},
            new String[] {"--compute-zone", "no-equals-sign"},
            new String[] {"--admin-password", "-starts-with-a-dash"},
            new String[] {"positional"});
    for (String[] args : cases) {
      assertThat(QuickServeArguments.parse(args)).as(Arrays.toString(args)).isEmpty();
    }
  }

  private static KilnConfig viaPicocli(String[] args) {
    ServeCommand serve = new ServeCommand();
    new CommandLine(serve).parseArgs(args);
    return serve.options.toConfig();
  }
}
