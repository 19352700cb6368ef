package dev.kiln;

import dev.kiln.cli.CloudsYamlCommand;
import dev.kiln.cli.ServeCommand;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code kiln} command. */
@Command(
    name = "kiln",
    mixinStandardHelpOptions = true,
    version = "Kiln 0.1.0",
    description = "An OpenStack-compatible cloud in one JVM.",
    subcommands = {ServeCommand.class, CloudsYamlCommand.class})
public final class Main implements Runnable {

  public static void main(String[] args) {
    // Helidon logs through java.util.logging; send it to the same place as everything else.
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    int code = new CommandLine(new Main()).execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
