package dev.kiln;

import dev.kiln.cli.BenchCommand;
import dev.kiln.cli.CloudsYamlCommand;
import dev.kiln.cli.ServeCommand;
import dev.kiln.cli.TrainCommand;
import java.util.Arrays;
import java.util.OptionalInt;
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

  public static void main(String[] args) throws Exception {
    StartTrace.mark("main");
    if (args.length > 0 && args[0].equals("serve")) {
      OptionalInt quick = ServeCommand.runQuickly(Arrays.copyOfRange(args, 1, args.length));
      if (quick.isPresent()) {
        exitUnlessZero(quick.getAsInt());
        return;
      }
    }
    CommandLine own = ownCommand(args);
    int code =
        own != null
            ? own.execute(Arrays.copyOfRange(args, 1, args.length))
            : new CommandLine(new Main()).execute(args);
    exitUnlessZero(code);
  }

  private static void exitUnlessZero(int code) {
    KilnLogging.flush();
    if (code != 0) {
      System.exit(code);
    }
  }

  /**
   * {@code serve} with plain options needs no picocli at all (see {@code QuickServeArguments}); with
   * any other, {@code serve} (and {@code train}, which records the class cache {@code serve} starts
   * from) builds only its own command: picocli reads every subcommand's annotations when it builds the
   * whole tree, which costs each start of Kiln ~100 ms of CPU, and the training run would put
   * every other command's classes into the cache that each start loads.
   */
  private static CommandLine ownCommand(String[] args) {
    if (args.length == 0) {
      return null;
    }
    return switch (args[0]) {
      case "serve" -> new CommandLine(new ServeCommand()).setCommandName("kiln serve");
      case "train" -> new CommandLine(new TrainCommand()).setCommandName("kiln train");
      default -> null;
    };
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
