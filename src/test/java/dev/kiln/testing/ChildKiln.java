package dev.kiln.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code kiln serve} in a JVM of its own, on a data directory the test keeps, so a test can kill
 * it as an operator's {@code kill -9} would ({@link #kill()} sends SIGKILL: no shutdown hook, no
 * close, nothing flushed) and start another Kiln on the same directory. The child runs from this
 * JVM's class path with the launcher's memory settings.
 *
 * <p>Each child's log (its stderr, where Kiln logs, and its stdout) is kept in a file of its own
 * under {@code target/child-kiln/} (one per data directory and incarnation: {@code
 * 03-a-2.log} is the third data directory this JVM started Kiln on, named {@code a}, at its
 * second start), kept after the test whatever its outcome, so that a failure can be traced. A
 * test names them in its failure messages ({@link #logsOf}, {@link #log()}).
 */
public final class ChildKiln implements AutoCloseable {
  private static final Pattern READY = Pattern.compile("^Kiln ready at (http://127\\.0\\.0\\.1:\\d+)");

  /** Where the children's logs go, one directory per test JVM (so runs never mix). */
  private static final Path LOG_ROOT =
      Path.of(System.getProperty("kiln.child.logs", "target/child-kiln"))
          .resolve(
              java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss")
                      .withZone(java.time.ZoneOffset.UTC)
                      .format(java.time.Instant.now())
                  + "-" + ProcessHandle.current().pid())
          .toAbsolutePath();
  /** The logs of each data directory's incarnations, in start order (guarded by itself). */
  private static final Map<Path, List<Path>> LOGS = new java.util.LinkedHashMap<>();

  private final Process process;
  private final String baseUrl;
  private final Path log;

  private ChildKiln(Process process, String baseUrl, Path log) {
    this.process = process;
    this.baseUrl = baseUrl;
    this.log = log;
  }

  /** The file this child (this incarnation) logs to. */
  public Path log() {
    return log;
  }

  /** The log files of every Kiln started on {@code dataDir} so far, first start first. */
  public static List<Path> logsOf(Path dataDir) {
    synchronized (LOGS) {
      return List.copyOf(LOGS.getOrDefault(dataDir.toAbsolutePath().normalize(), List.of()));
    }
  }

  /** For a failure message: every log of these data directories, one a line. */
  public static String describeLogs(Path... dataDirs) {
    StringBuilder out = new StringBuilder("child Kiln logs:");
    for (Path dir : dataDirs) {
      logsOf(dir).forEach(l -> out.append("\n  ").append(l));
    }
    return out.toString();
  }

  /** A new log file for the next incarnation on {@code dataDir}. */
  private static Path nextLog(Path dataDir) {
    Path key = dataDir.toAbsolutePath().normalize();
    synchronized (LOGS) {
      List<Path> logs = LOGS.computeIfAbsent(key, k -> new ArrayList<>());
      int directory = 1 + new ArrayList<>(LOGS.keySet()).indexOf(key);
      Path log = LOG_ROOT.resolve(
          String.format("%02d-%s-%d.log", directory, key.getFileName(), logs.size() + 1));
      logs.add(log);
      return log;
    }
  }

  /** Starts Kiln on {@code dataDir} (created if missing), with extra {@code serve} options. */
  public static ChildKiln start(Path dataDir, String... serveOptions) {
    return start(dataDir, Map.of(), serveOptions);
  }

  /** As {@link #start(Path, String...)}, with extra environment variables for the child. */
  public static ChildKiln start(Path dataDir, Map<String, String> environment, String... serveOptions) {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(List.of("-XX:+UseSerialGC", "-Xms24m", "-Xmx256m", "-XX:TieredStopAtLevel=1"));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.kiln.Main", "serve"));
    command.addAll(
        List.of(
            "--host", "127.0.0.1", "--port", "0", "--data-dir", dataDir.toString(),
            "--admin-password", RunningKiln.ADMIN_PASSWORD, "--password-hash-iterations", "1000"));
    command.addAll(List.of(serveOptions));
    Path log = nextLog(dataDir);
    Process process;
    try {
      Files.createDirectories(dataDir);
      Files.createDirectories(log.getParent());
      String options = String.join(" ", command.subList(command.indexOf("serve") + 1, command.size()));
      Files.writeString(log, "# kiln serve " + options + " (" + environment + ")\n");
      ProcessBuilder builder =
          new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
      builder.environment().putAll(environment);
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<String> ready =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                String line;
                while ((line = out.readLine()) != null) {
                  Matcher m = READY.matcher(line);
                  if (m.find()) {
                    // Keep draining stdout (into the log) so the child never blocks on a full pipe.
                    Thread.ofVirtual().start(() -> drainInto(out, log));
                    return m.group(1);
                  }
                }
                throw new IllegalStateException("kiln serve exited without a ready line; see " + log);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    try {
      return new ChildKiln(process, ready.get(120, TimeUnit.SECONDS), log);
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      if (e instanceof TimeoutException) {
        dumpThreads(process, log);
      }
      process.destroyForcibly();
      throw new IllegalStateException("kiln serve did not get ready; see " + log, e);
    }
  }

  /**
   * Appends the threads of a child that never got ready (its JVM, under the launcher) to its log,
   * so that a start that hangs says where.
   */
  private static void dumpThreads(Process process, Path log) {
    List<ProcessHandle> jvms = new ArrayList<>();
    jvms.add(process.toHandle());
    process.toHandle().descendants().forEach(jvms::add);
    for (ProcessHandle jvm : jvms) {
      if (Thread.currentThread().isInterrupted()) {
        return;
      }
      try {
        Files.writeString(log, ThreadDumps.of(jvm.pid()), java.nio.file.StandardOpenOption.APPEND);
      } catch (IOException e) {
        // a dump is a help for reading the failure, not a condition of it
      }
    }
  }

  /** Appends what the child still writes to stdout to its log, until the child is gone. */
  private static void drainInto(BufferedReader out, Path log) {
    try {
      String line;
      while ((line = out.readLine()) != null) {
        Files.writeString(log, "[stdout] " + line + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
      }
    } catch (IOException e) {
      // the child is gone (its pipe closed under the read): nothing more to keep
    }
  }

  public String baseUrl() {
    return baseUrl;
  }

  public Api api() {
    return new Api(baseUrl);
  }

  /** A client with a fresh token of the bootstrap admin, scoped to the admin project. */
  public Api admin() {
    Api anonymous = api();
    return anonymous.withToken(anonymous.token("admin", RunningKiln.ADMIN_PASSWORD, "admin"));
  }

  public long pid() {
    return process.pid();
  }

  /** SIGKILL, then waits until the process is gone. */
  public void kill() {
    process.destroyForcibly();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("kiln " + process.pid() + " survived SIGKILL for 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Resident memory of the child in KiB, from /proc. */
  public long rssKib() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D", ""));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return -1;
  }

  /** A clean stop (SIGTERM: the shutdown hook closes Kiln), or SIGKILL after 20 s. */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        kill();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
