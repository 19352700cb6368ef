package dev.kiln.cli;

import dev.kiln.KilnConfig;
import dev.kiln.KilnServer;
import dev.kiln.http.Json;
import dev.kiln.identity.PasswordHasher;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
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
    try (KilnServer server = serve.launch(config, new PrintStream(OutputStream.nullOutputStream()));
        TrainingClient client = new TrainingClient("127.0.0.1", server.port())) {
      for (int i = 0; i < 3; i++) {
        TrainingClient.Response issued =
            client.post("/identity/v3/auth/tokens", null, TrainingClient.passwordAuth(PASSWORD));
        if (issued.status() != 201) {
          throw new IllegalStateException("token issue answered " + issued.status() + ": " + issued.body());
        }
        String token = issued.headers().get("x-subject-token");
        String userId = Json.MAPPER.readTree(issued.body()).at("/token/user/id").asText();
        for (String path :
            List.of(
                "/identity/v3/users/" + userId,
                "/identity/v3/projects",
                "/compute/v2.1/flavors/detail",
                "/networking/v2.0/networks",
                "/metrics")) {
          TrainingClient.Response answer = client.get(path, path.equals("/metrics") ? null : token);
          if (answer.status() != 200) {
            throw new IllegalStateException(path + " answered " + answer.status() + ": " + answer.body());
          }
        }
      }
    }
  }
}
