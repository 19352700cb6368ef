package dev.kiln.cli;

import dev.kiln.KilnConfig;
import dev.kiln.KilnServer;
import dev.kiln.http.Json;
import dev.kiln.store.SchemaTemplate;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code kiln train}: a short, typical run (start, log in, a few reads, stop) that the launcher
 * records into a JDK AOT cache, so later starts skip most class loading and linking. Its starts
 * use the {@link SchemaTemplate} named by {@code --schema-template}, as {@code kiln serve}'s will.
 *
 * <p>{@code --write-schema-template} only writes that template and stops. The launcher runs it in
 * a JVM of its own before the recorded one: writing the template runs Flyway, and the cache holds
 * every class the recorded run loads, which each start then loads too. Flyway's ~450 classes made
 * the cache 4.5 MB bigger, resident in every Kiln, for the rare start that migrates an old
 * database (which loads them from the jar instead).
 */
@Command(name = "train", hidden = true, description = "Exercise Kiln once, for the JDK's AOT cache.")
public final class TrainCommand implements Callable<Integer> {
  private static final String PASSWORD = "training-only";

  @Option(names = "--schema-template", description = "The schema template new data directories start from.")
  Path schemaTemplate;

  @Option(names = "--write-schema-template", description = "Only write the schema template, and stop.")
  boolean writeTemplateOnly;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (writeTemplateOnly) {
      if (schemaTemplate == null) {
        throw new ParameterException(spec.commandLine(), "--write-schema-template needs --schema-template FILE");
      }
      SchemaTemplate.write(schemaTemplate);
      return 0;
    }
    if (schemaTemplate != null) {
      // Without the file the training's new directory is migrated from scratch, as serve's would be.
      System.setProperty(SchemaTemplate.PROPERTY, schemaTemplate.toString());
    }
    Path dir = Files.createTempDirectory("kiln-train");
    try {
      // What `kiln serve` does, on a new data directory and then on the same one again, so both
      // start paths (copy the template or migrate, and seed; schema current, seed present) are in
      // the cache.
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
    // Read as `kiln serve` reads its arguments, so that path is in the cache too.
    ServeCommand serve = new ServeCommand();
    serve.options =
        QuickServeArguments.parse(
                new String[] {"--host", "127.0.0.1", "--port", "0", "--data-dir", dir.toString(), "--admin-password", PASSWORD})
            .orElseThrow();
    KilnConfig config = serve.options.toConfig();
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
