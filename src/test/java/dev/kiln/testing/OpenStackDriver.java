package dev.kiln.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Debian's real {@code openstack}, {@code heat}, {@code cinder} and {@code nova}, kept running: a
 * Python process (openstack-driver.py) imports the clients once and, for each command, forks a
 * child that runs the program's {@code main} with the command's argv, its own OS_* variables and
 * captured output. A test suite runs several thousand commands; each new client process spent about
 * a second of CPU importing the client and its plugins before its first request, which made the CLI
 * tests the slowest part of the suite. Idle drivers are shared by every test in the JVM; concurrent
 * commands each take a driver of their own. {@code -Dkiln.cli.fork=true} (or {@code
 * KILN_CLI_FORK=1}) runs a process per command as before, and so does a JVM whose driver cannot
 * start.
 *
 * <p>The clients' {@code --wait} loops poll every 5 s; Kiln finishes most of what they wait for in
 * well under a second, so the driver tells them to poll every {@value #POLL_SECONDS} s instead
 * ({@code -Dkiln.cli.poll=SECONDS} or {@code KILN_CLI_POLL} changes it; {@code client} keeps the
 * clients' own intervals). Only the interval changes: every poll is the client's own request.
 */
final class OpenStackDriver {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_IDLE = 4;
  static final String POLL_SECONDS = "0.2";
  /** Idle drivers by program: a driver runs one program only (see openstack-driver.py). */
  private static final Map<String, ConcurrentLinkedDeque<OpenStackDriver>> IDLE = new ConcurrentHashMap<>();
  private static volatile Path script;
  private static volatile boolean unavailable;

  private final String prog;
  private final Process process;
  private final Path errors;
  private final Writer requests;
  private final BufferedReader replies;
  private JsonNode ready;

  private OpenStackDriver(String prog, Process process, Path errors) {
    this.prog = prog;
    this.process = process;
    this.errors = errors;
    this.requests = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    this.replies = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  static boolean enabled() {
    return !unavailable && !Boolean.getBoolean("kiln.cli.fork") && !"1".equals(System.getenv("KILN_CLI_FORK"));
  }

  /**
   * Runs {@code prog args...} ({@code prog} one of openstack, heat, cinder, nova) with {@code env} as
   * its OS_* variables; answers nothing when no driver can start, for the caller to start the
   * program itself (this JVM's later commands do too).
   */
  static Optional<OpenStackCli.Result> run(String prog, Map<String, String> env, List<String> args, Duration timeout) {
    ConcurrentLinkedDeque<OpenStackDriver> idle = IDLE.computeIfAbsent(prog, p -> new ConcurrentLinkedDeque<>());
    OpenStackDriver driver = idle.pollFirst();
    while (driver != null && !driver.process.isAlive()) {
      driver = idle.pollFirst();
    }
    if (driver == null) {
      try {
        driver = start(prog, timeout);
      } catch (AssertionError e) {
        unavailable = true;
        System.err.println("The openstack driver cannot start; each command runs as a process of its own: " + e.getMessage());
        return Optional.empty();
      }
    }
    OpenStackCli.Result result;
    try {
      result = driver.send(env, args, timeout);
    } catch (RuntimeException | Error e) {
      driver.process.destroyForcibly();
      throw e;
    }
    if (idle.size() < MAX_IDLE) {
      idle.addFirst(driver);
    } else {
      driver.close();
    }
    return Optional.of(result);
  }

  /**
   * What a new driver for {@code prog} said when it was ready: its program ({@code program}) and the
   * client wait loops whose interval it shortened ({@code capped_waits}).
   */
  static JsonNode ready(String prog) {
    OpenStackDriver driver = start(prog, Duration.ofSeconds(120));
    driver.close();
    return driver.ready;
  }

  private OpenStackCli.Result send(Map<String, String> env, List<String> args, Duration timeout) {
    ObjectNode request = JSON.createObjectNode();
    request.set("env", JSON.valueToTree(env));
    request.set("args", JSON.valueToTree(args));
    try {
      requests.write(request.toString() + "\n");
      requests.flush();
      JsonNode reply = JSON.readTree(readLine(timeout, prog + " " + String.join(" ", args)));
      return new OpenStackCli.Result(
          reply.path("code").asInt(), reply.path("stdout").asText(), reply.path("stderr").asText());
    } catch (IOException e) {
      throw new AssertionError("the openstack driver failed: " + e.getMessage() + ended(), e);
    }
  }

  private String readLine(Duration timeout, String what) {
    CompletableFuture<String> line =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return replies.readLine();
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            },
            Thread::startVirtualThread);
    try {
      String text = line.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (text == null) {
        throw new AssertionError(what + ": the openstack driver ended" + ended());
      }
      return text;
    } catch (TimeoutException e) {
      process.destroyForcibly();
      throw new AssertionError(what + " did not finish in " + timeout.toSeconds() + " s");
    } catch (ExecutionException e) {
      throw new AssertionError(what + ": " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new AssertionError(e);
    }
  }

  private static OpenStackDriver start(String prog, Duration timeout) {
    try {
      Path err = Files.createTempFile("openstack-driver", ".err");
      err.toFile().deleteOnExit();
      List<String> command = new ArrayList<>(List.of("/usr/bin/python3", "-P", script().toString(), "--prog", prog));
      String poll = System.getProperty("kiln.cli.poll", Objects.requireNonNullElse(System.getenv("KILN_CLI_POLL"), POLL_SECONDS));
      if (!poll.equals("client")) {
        command.addAll(List.of("--poll-seconds", Double.toString(Double.parseDouble(poll))));
      }
      Process process = new ProcessBuilder(command).redirectError(err.toFile()).start();
      OpenStackDriver driver = new OpenStackDriver(prog, process, err);
      // {"ready": true, "program": ..., "capped_waits": [...]} once the client is imported
      driver.ready = JSON.readTree(driver.readLine(timeout, "starting the " + prog + " driver"));
      return driver;
    } catch (IOException e) {
      throw new AssertionError("cannot start the openstack driver: " + e.getMessage(), e);
    }
  }

  private static Path script() throws IOException {
    if (script == null) {
      synchronized (OpenStackDriver.class) {
        if (script == null) {
          Path file = Files.createTempFile("openstack-driver", ".py");
          try (InputStream in = OpenStackDriver.class.getResourceAsStream("openstack-driver.py")) {
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
          }
          file.toFile().deleteOnExit();
          Runtime.getRuntime().addShutdownHook(new Thread(OpenStackDriver::closeAll));
          script = file;
        }
      }
    }
    return script;
  }

  /** Why the driver ended, when it did: its exit code and the end of what it printed on stderr. */
  private String ended() {
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) { // its output closed a moment before it exits
        return "";
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
    String printed;
    try {
      printed = Files.readString(errors, StandardCharsets.UTF_8);
    } catch (IOException e) {
      printed = "";
    }
    return " (exit " + process.exitValue() + ")"
        + (printed.isBlank() ? "" : ": " + printed.substring(Math.max(0, printed.length() - 2000)));
  }

  private void close() {
    try {
      requests.close(); // the driver ends at the end of its input
    } catch (IOException e) {
      process.destroyForcibly();
    }
  }

  private static void closeAll() {
    for (ConcurrentLinkedDeque<OpenStackDriver> idle : IDLE.values()) {
      for (OpenStackDriver d; (d = idle.pollFirst()) != null; ) {
        d.process.destroyForcibly();
      }
    }
  }
}
