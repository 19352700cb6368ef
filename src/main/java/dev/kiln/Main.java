package dev.kiln;

import dev.kiln.cli.BenchCommand;
import dev.kiln.cli.CloudsYamlCommand;
import dev.kiln.cli.ServeCommand;
import dev.kiln.cli.TrainCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code kiln} command. */
@Command(
    name = "kiln",
    mixinStandardHelpOptions = true,
    version = "Kiln 0.1.0",
    description = "An OpenStack-compatible cloud in one JVM.",
    subcommands = {ServeCommand.class, CloudsYamlCommand.class, BenchCommand.class, TrainCommand.class})
public final class Main implements Runnable {

  public static void main(String[] args) {
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
