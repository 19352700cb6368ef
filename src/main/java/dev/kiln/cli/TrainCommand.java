package dev.kiln.cli;

import dev.kiln.KilnConfig;
import dev.kiln.KilnServer;
import dev.kiln.identity.PasswordHasher;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;

/**
 * {@code kiln train}: a short, typical run (start, log in, a few reads, stop) that the launcher
 * records into a JDK AOT cache, so later starts skip most class loading and linking.
 */
@Command(name = "train", hidden = true, description = "Exercise Kiln once, for the JDK's AOT cache.")
public final class TrainCommand implements Callable<Integer> {
  private static final String PASSWORD = "training-only";

  @Override
  public Integer call() throws Exception {
    Path dir = Files.createTempDirectory("kiln-train");
    try {
      // What `kiln serve` does, on a new data directory and then on the same one again, so both
      // start paths (migrate and seed; schema current, seed present) are in the cache.
      for (int start = 0; start < 2; start++) {
        trainOnce(dir);
      }
      return 0;
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static void trainOnce(Path dir) throws Exception {
    KilnConfig config =
        new KilnConfig(
            "127.0.0.1", 0, dir, null, PASSWORD, true, KilnConfig.DEFAULT_TOKEN_LIFETIME,
            PasswordHasher.DEFAULT_ITERATIONS, null, KilnConfig.DEFAULT_COMPUTE_HOSTS);
    ServeCommand serve = new ServeCommand();
    serve.options = new ServerOptions();
    try (KilnServer server = serve.launch(config, new PrintStream(OutputStream.nullOutputStream()))) {
      LocalClient client = new LocalClient(server.baseUrl());
      for (int i = 0; i < 3; i++) {
        var issued = client.issueToken(PASSWORD);
        String token = LocalClient.token(issued);
        client.get("/identity/v3/users/" + LocalClient.userId(issued), token);
        client.get("/identity/v3/projects", token);
        client.get("/compute/v2.1/flavors/detail", token);
        client.get("/networking/v2.0/networks", token);
        client.get("/metrics", null);
      }
    }
  }
}
