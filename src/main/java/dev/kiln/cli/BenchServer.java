package dev.kiln.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code kiln serve} a bench measures: a new JVM like this one, on a new data directory, on a
 * free port. Closing it stops the server (and deletes the directory it made); this JVM's exit
 * stops it too, so a bench that dies half-way leaves no server running behind it.
 */
final class BenchServer implements AutoCloseable {
  static final String PASSWORD = "bench-secret";
  private static final Pattern READY = Pattern.compile("Kiln ready at (http://\\S+)");

  private final Process process;
  private final Path dataDir;
  private final boolean ownsDataDir;
  private final Thread reaper;
  private final String url;

  private BenchServer(Process process, Path dataDir, boolean ownsDataDir) throws IOException {
    this.process = process;
    this.dataDir = dataDir;
    this.ownsDataDir = ownsDataDir;
    this.reaper = new Thread(process::destroyForcibly, "bench-server-reaper");
    Runtime.getRuntime().addShutdownHook(reaper);
    try {
      this.url = awaitReady(process);
    } catch (IOException e) {
      close();
      throw e;
    }
  }

  /** Starts a server on a new data directory with {@code serveOptions}, and waits until it is ready. */
  static BenchServer start(List<String> serveOptions) throws Exception {
    return start(List.of(), serveOptions);
  }

  /** The same, with {@code moreJvmOptions} after this JVM's own. */
  static BenchServer start(List<String> moreJvmOptions, List<String> serveOptions) throws Exception {
    return start(Files.createTempDirectory("kiln-bench"), true, moreJvmOptions, serveOptions);
  }

  /** Starts a server on the caller's {@code dataDir} (kept on close), and waits until it is ready. */
  static BenchServer startOn(Path dataDir) throws Exception {
    return start(dataDir, false, List.of(), List.of());
  }

  private static BenchServer start(
      Path dataDir, boolean owned, List<String> moreJvmOptions, List<String> serveOptions) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(jvmOptions());
    command.addAll(moreJvmOptions);
    // KILN_BENCH_SERVER_OPTS adds JVM options to the measured servers only (a flight recording:
    // "-XX:StartFlightRecording=filename=/tmp/kiln.jfr"), not to the bench's own JVM.
    String extra = System.getenv("KILN_BENCH_SERVER_OPTS");
    if (extra != null && !extra.isBlank()) {
      command.addAll(List.of(extra.strip().split("\\s+")));
    }
    command.addAll(
        List.of(
            "-jar", jarPath(), "serve", "--port", "0", "--data-dir", dataDir.toString(),
            "--admin-password", PASSWORD));
    command.addAll(serveOptions);
    return new BenchServer(new ProcessBuilder(command).redirectError(serverLog()).start(), dataDir, owned);
  }

  /**
   * Where a measured server's log goes: nowhere, unless KILN_BENCH_LOG names a file for it (to
   * learn why a request the bench made failed).
   */
  static ProcessBuilder.Redirect serverLog() {
    String log = System.getenv("KILN_BENCH_LOG");
    return log == null || log.isBlank()
        ? ProcessBuilder.Redirect.DISCARD
        : ProcessBuilder.Redirect.appendTo(new java.io.File(log));
  }

  String url() {
    return url;
  }

  LocalClient client() {
    return new LocalClient(url);
  }

  long pid() {
    return process.pid();
  }

  /** Stops the server (forcibly after 20 s) and deletes its data directory if it made it. */
  @Override
  public void close() throws IOException {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(reaper);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs anyway
    }
    if (ownsDataDir) {
      BenchCommand.delete(dataDir);
    }
  }

  /** Reads the server's output up to its ready line; answers the URL that line names. */
  static String awaitReady(Process process) throws IOException {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null) {
      Matcher m = READY.matcher(line);
      if (m.find()) {
        Thread.ofVirtual().start(() -> drain(out));
        return m.group(1);
      }
    }
    throw new IOException("kiln serve exited before it was ready");
  }

  /** Reads the rest of the server's output so it never blocks on a full pipe; ends when the server does. */
  private static void drain(BufferedReader out) {
    try {
      out.lines().forEach(line -> {});
    } catch (UncheckedIOException closed) {
      // the stream closes under the reader when the stopped server's process is reaped
    }
  }

  /** The options this JVM was started with (the launcher's), so servers run the same way. */
  static List<String> jvmOptions() {
    return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> !a.startsWith("-XX:AOTCacheOutput"))
        .toList();
  }

  static String jarPath() throws Exception {
    Path path = Path.of(BenchServer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    if (!path.toString().endsWith(".jar")) {
      throw new IllegalStateException("run the bench from the built jar: ./kiln bench identity");
    }
    return path.toString();
  }
}
