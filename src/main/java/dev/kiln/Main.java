package dev.kiln;

import dev.kiln.cli.BenchCommand;
import dev.kiln.cli.CloudsYamlCommand;
import dev.kiln.cli.ServeCommand;
import dev.kiln.cli.TrainCommand;
import java.util.Arrays;
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
    int code = command(args).execute(serving(args) ? Arrays.copyOfRange(args, 1, args.length) : args);
    if (code != 0) {
      System.exit(code);
    }
  }

  private static boolean serving(String[] args) {
    return args.length > 0 && args[0].equals("serve");
  }

  /**
   * {@code serve} builds only its own command: picocli reads every subcommand's annotations when
   * it builds the whole tree, which costs each start of Kiln ~100 ms of CPU.
   */
  private static CommandLine command(String[] args) {
    return serving(args)
        ? new CommandLine(new ServeCommand()).setCommandName("kiln serve")
        : new CommandLine(new Main());
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
