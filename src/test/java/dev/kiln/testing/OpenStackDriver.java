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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Debian's real {@code openstack}, kept running: a Python process (openstack-driver.py) imports
 * openstackclient once and runs its {@code main} for each command, with the command's own OS_*
 * variables and captured output. A test suite runs several thousand commands; each new {@code
 * openstack} process spent about a second of CPU importing the client and its plugins before its
 * first request, which made the CLI tests the slowest part of the suite. Idle drivers are shared
 * by every test in the JVM; concurrent commands each take a driver of their own. {@code
 * -Dkiln.cli.fork=true} (or {@code KILN_CLI_FORK=1}) runs a process per command as before.
 */
final class OpenStackDriver {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_IDLE = 4;
  private static final ConcurrentLinkedDeque<OpenStackDriver> IDLE = new ConcurrentLinkedDeque<>();
  private static volatile Path script;

  private final Process process;
  private final Writer requests;
  private final BufferedReader replies;

  private OpenStackDriver(Process process) {
    this.process = process;
    this.requests = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    this.replies = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  static boolean enabled() {
    return !Boolean.getBoolean("kiln.cli.fork") && !"1".equals(System.getenv("KILN_CLI_FORK"));
  }

  /** Runs {@code openstack args...} with {@code env} as its OS_* variables. */
  static OpenStackCli.Result run(Map<String, String> env, List<String> args, Duration timeout) {
    OpenStackDriver driver = IDLE.pollFirst();
    if (driver == null || !driver.process.isAlive()) {
      driver = start(timeout);
    }
    OpenStackCli.Result result;
    try {
      result = driver.send(env, args, timeout);
    } catch (RuntimeException | Error e) {
      driver.process.destroyForcibly();
      throw e;
    }
    if (IDLE.size() < MAX_IDLE) {
      IDLE.addFirst(driver);
    } else {
      driver.close();
    }
    return result;
  }

  private OpenStackCli.Result send(Map<String, String> env, List<String> args, Duration timeout) {
    ObjectNode request = JSON.createObjectNode();
    request.set("env", JSON.valueToTree(env));
    request.set("args", JSON.valueToTree(args));
    try {
      requests.write(request.toString() + "\n");
      requests.flush();
      JsonNode reply = JSON.readTree(readLine(timeout, "openstack " + String.join(" ", args)));
      return new OpenStackCli.Result(
          reply.path("code").asInt(), reply.path("stdout").asText(), reply.path("stderr").asText());
    } catch (IOException e) {
      throw new AssertionError("the openstack driver failed: " + e.getMessage() + stderrOf(process), e);
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
        throw new AssertionError(what + ": the openstack driver ended" + stderrOf(process));
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

  private static OpenStackDriver start(Duration timeout) {
    try {
      Path err = Files.createTempFile("openstack-driver", ".err");
      Process process =
          new ProcessBuilder("/usr/bin/python3", script().toString()).redirectError(err.toFile()).start();
      OpenStackDriver driver = new OpenStackDriver(process);
      driver.readLine(timeout, "starting the openstack driver"); // {"ready": true} once imported
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

  private static String stderrOf(Process process) {
    return process.isAlive() ? "" : " (exit " + process.exitValue() + ")";
  }

  private void close() {
    try {
      requests.close(); // the driver ends at the end of its input
    } catch (IOException e) {
      process.destroyForcibly();
    }
  }

  private static void closeAll() {
    for (OpenStackDriver d; (d = IDLE.pollFirst()) != null; ) {
      d.process.destroyForcibly();
    }
  }
}
