package dev.kiln.cli;

import dev.kiln.KilnConfig;
import dev.kiln.KilnLogging;
import dev.kiln.KilnServer;
import dev.kiln.StartTrace;
import dev.kiln.identity.IdentityBootstrap.PasswordOutcome;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
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

  /**
   * Runs {@code kiln serve} with {@code args} (what follows {@code serve}) when
   * {@link QuickServeArguments} can read them without picocli; empty when picocli should.
   */
  public static OptionalInt runQuickly(String[] args) throws Exception {
    Optional<ServerOptions> quick = QuickServeArguments.parse(args);
    if (quick.isEmpty()) {
      return OptionalInt.empty();
    }
    ServeCommand serve = new ServeCommand();
    serve.options = quick.get();
    return OptionalInt.of(serve.call());
  }

  @Override
  public Integer call() throws Exception {
    StartTrace.mark("options parsed");
    KilnConfig config = options.toConfig();
    // The stop is hooked before the start: a stop that comes as soon as the ready line is out (a
    // script that starts Kiln, uses it and stops it) found the hook not yet added, so the database
    // was never closed and the next start scanned the whole file as after a crash.
    CompletableFuture<Running> started = new CompletableFuture<>();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stopWhenStarted(started, stopped)));
    KilnServer server;
    try {
      server = launch(config, System.out);
    } catch (RuntimeException e) {
      started.completeExceptionally(e);
      System.err.println("Kiln could not start: " + rootMessage(e));
      return 1;
    } catch (Exception | Error e) {
      started.completeExceptionally(e); // the hook must not wait for a start that ended
      throw e;
    }
    IdleHeapRelease heapRelease = IdleHeapRelease.start(server::closeIdleConnections);
    started.complete(new Running(server, heapRelease));
    stopped.await();
    return 0;
  }

  /** A started Kiln and what runs beside it until it stops. */
  private record Running(KilnServer server, IdleHeapRelease heapRelease) {}

  /** Waits for a start still under way, then stops what it started (nothing if it failed). */
  private static void stopWhenStarted(CompletableFuture<Running> started, CountDownLatch stopped) {
    try {
      Running running = started.join();
      running.heapRelease().close();
      running.server().close();
    } catch (java.util.concurrent.CompletionException failedToStart) {
      // launch closed what it had opened
    } finally {
      KilnLogging.flush(); // the lines of the stop itself included
      stopped.countDown();
    }
  }

  /**
   * Starts Kiln, checks that every API answers, and tells the user where it is: the "Kiln ready
   * at" line scripts wait for, where the admin password came from, and a clouds.yaml.
   */
  KilnServer launch(KilnConfig config, PrintStream out) throws Exception {
    long started = System.nanoTime();
    KilnServer server = KilnServer.start(config);
    try {
      awaitEndpoints(server, config);
      StartTrace.mark("every API root answered");
    } catch (Exception | Error e) {
      server.close();
      throw e;
    }
    printBanner(server, config, (System.nanoTime() - started) / 1_000_000, out);
    StartTrace.mark("ready line printed");
    return server;
  }

  /**
   * Asks every API root once, so "ready" is printed only when all of them answer. A plain socket
   * on the listening address does it: the JDK's HTTP client would cost more start-up time than the
   * six requests themselves.
   */
  private static void awaitEndpoints(KilnServer server, KilnConfig config) throws IOException {
    String host = config.host();
    if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
      host = "127.0.0.1";
    }
    for (String root : KilnServer.API_ROOTS) {
      int status = statusWithin(host, server.port(), root + "/", START_CHECK_PATIENCE);
      if (status >= 400) {
        throw new IllegalStateException(root + " answered " + status + " at start");
      }
    }
  }

  /**
   * How long start waits for one API root: a start after a crash resumes the interrupted
   * operations at once, and on a busy machine an answer can then take longer than one 5 s read.
   */
  private static final java.time.Duration START_CHECK_PATIENCE = java.time.Duration.ofSeconds(60);

  /** {@link #statusOf}, asked again after a read that timed out, until {@code patience} runs out. */
  private static int statusWithin(String host, int port, String path, java.time.Duration patience) throws IOException {
    long deadline = System.nanoTime() + patience.toNanos();
    while (true) {
      try {
        return statusOf(host, port, path);
      } catch (java.net.SocketTimeoutException slow) {
        if (System.nanoTime() > deadline) {
          throw slow;
        }
        System.err.println("Kiln is still starting: " + path + " has not answered yet; asking again");
      }
    }
  }

  /** The status code of one {@code GET path} over HTTP/1.1 on a new connection. */
  static int statusOf(String host, int port, String path) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 5_000);
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      String authority = host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
      out.write(
          ("GET " + path + " HTTP/1.1\r\nHost: " + authority + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String statusLine = readLine(in);
      String[] parts = statusLine.split(" ");
      if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
        throw new IOException("no HTTP answer from " + authority + path + ": " + statusLine);
      }
      // Read the answer to its end (the server may keep the connection open despite the close).
      long length = 0;
      for (String header = readLine(in); !header.isEmpty(); header = readLine(in)) {
        if (header.regionMatches(true, 0, "content-length:", 0, 15)) {
          length = Long.parseLong(header.substring(15).trim());
        }
      }
      in.skipNBytes(length);
      return Integer.parseInt(parts[1]);
    }
  }

  /** One line of an HTTP/1.1 answer's head, without its line end. */
  static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = in.read()) != -1 && c != '\n') {
      line.append((char) c);
    }
    if (c == -1 && line.isEmpty()) {
      throw new IOException("connection closed before the answer ended");
    }
    return line.toString().trim();
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
