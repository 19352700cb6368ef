package dev.kiln.cli;

import dev.kiln.KilnConfig;
import dev.kiln.KilnServer;
import dev.kiln.identity.PasswordHasher;
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
      KilnConfig config =
          new KilnConfig(
              "127.0.0.1", 0, dir, null, PASSWORD, true, KilnConfig.DEFAULT_TOKEN_LIFETIME,
              PasswordHasher.DEFAULT_ITERATIONS, null, KilnConfig.DEFAULT_COMPUTE_HOSTS);
      try (KilnServer server = KilnServer.start(config)) {
        LocalClient client = new LocalClient(server.baseUrl());
        for (String root : KilnServer.API_ROOTS) {
          client.get(root + "/", null);
        }
        for (int i = 0; i < 3; i++) {
          var issued = client.issueToken(PASSWORD);
          String token = LocalClient.token(issued);
          client.get("/identity/v3/users/" + LocalClient.userId(issued), token);
          client.get("/identity/v3/projects", token);
          client.get("/compute/v2.1/flavors/detail", token);
          client.get("/metrics", null);
        }
      }
      return 0;
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
