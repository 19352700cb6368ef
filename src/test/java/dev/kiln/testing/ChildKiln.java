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
 * JVM's class path with the launcher's memory settings; its stderr goes to {@code serve.log} next
 * to the data directory, for the post-mortem of a failed test.
 */
public final class ChildKiln implements AutoCloseable {
  private static final Pattern READY = Pattern.compile("^Kiln ready at (http://127\\.0\\.0\\.1:\\d+)");

  private final Process process;
  private final String baseUrl;

  private ChildKiln(Process process, String baseUrl) {
    this.process = process;
    this.baseUrl = baseUrl;
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
    Path log = dataDir.resolveSibling(dataDir.getFileName() + "-serve.log");
    Process process;
    try {
      Files.createDirectories(dataDir);
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
                    // Keep draining stdout so the child never blocks on a full pipe.
                    Thread.ofVirtual().start(() -> out.lines().forEach(l -> {}));
                    return m.group(1);
                  }
                }
                throw new IllegalStateException("kiln serve exited without a ready line; see " + log);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    try {
      return new ChildKiln(process, ready.get(120, TimeUnit.SECONDS));
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      process.destroyForcibly();
      throw new IllegalStateException("kiln serve did not get ready; see " + log, e);
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
