package dev.kiln.cli;

import dev.kiln.KilnConfig;
import dev.kiln.KilnServer;
import dev.kiln.identity.IdentityBootstrap.PasswordOutcome;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code kiln serve}: runs Kiln until interrupted. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Start Kiln: every OpenStack API on one port, with an embedded database.")
public final class ServeCommand implements Callable<Integer> {
  @Mixin ServerOptions options;

  @Override
  public Integer call() throws Exception {
    KilnConfig config = options.toConfig();
    KilnServer server;
    try {
      server = launch(config, System.out);
    } catch (RuntimeException e) {
      System.err.println("Kiln could not start: " + rootMessage(e));
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                }));
    stopped.await();
    return 0;
  }

  /**
   * Starts Kiln, checks that every API answers, and tells the user where it is: the "Kiln ready
   * at" line scripts wait for, where the admin password came from, and a clouds.yaml.
   */
  KilnServer launch(KilnConfig config, PrintStream out) throws Exception {
    long started = System.nanoTime();
    KilnServer server = KilnServer.start(config);
    try {
      awaitEndpoints(server);
    } catch (Exception | Error e) {
      server.close();
      throw e;
    }
    printBanner(server, config, (System.nanoTime() - started) / 1_000_000, out);
    return server;
  }

  /** Asks every API root once, so "ready" is printed only when all of them answer. */
  private static void awaitEndpoints(KilnServer server) throws Exception {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    String local = "http://127.0.0.1:" + server.port();
    if (!server.baseUrl().contains("://127.0.0.1:") && !server.baseUrl().contains("://localhost:")) {
      local = server.baseUrl();
    }
    for (String root : KilnServer.API_ROOTS) {
      HttpResponse<Void> response =
          client.send(
              HttpRequest.newBuilder(URI.create(local + root + "/")).GET().build(),
              HttpResponse.BodyHandlers.discarding());
      if (response.statusCode() >= 400) {
        throw new IllegalStateException(root + " answered " + response.statusCode() + " at start");
      }
    }
  }

  private void printBanner(KilnServer server, KilnConfig config, long millis, PrintStream out) {
    String authUrl = server.authUrl();
    String where =
        config.databaseUrl() == null || config.databaseUrl().isBlank()
            ? "embedded database in " + config.dataDir().toAbsolutePath()
            : "PostgreSQL";
    String password =
        switch (server.adminPasswordOutcome()) {
          case CREATED -> "admin user created; password from " + options.adminPasswordSource();
          case RESET -> "admin password set from " + options.adminPasswordSource();
          case UNCHANGED -> "admin user exists; its password was left as it was";
        };
    out.println("Kiln ready at " + server.baseUrl() + " (" + millis + " ms, " + where + ")");
    out.println("  identity (auth URL): " + authUrl);
    out.println("  " + password);
    out.println("  clouds.yaml for the openstack CLI (save as ~/.config/openstack/clouds.yaml):");
    String shown =
        server.adminPasswordOutcome() == PasswordOutcome.UNCHANGED && !config.adminPasswordGiven()
            ? "<the admin password>"
            : config.adminPassword();
    for (String line : CloudsYaml.render("kiln", authUrl, shown).split("\n")) {
      out.println("    " + line);
    }
    out.println("  then: openstack --os-cloud kiln token issue");
    out.flush();
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + t.getMessage() + ")";
  }
}
