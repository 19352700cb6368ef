package dev.kiln.guest;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What cloud-init's {@code scripts-user} does on a guest's first boot: a user_data that is a
 * script ({@code #!} first, as Heat's {@code RAW} user_data_format passes it) runs once per
 * server, with the interpreter its first line names. Here it runs on the Kiln host, so it is
 * fenced: its working directory and {@code HOME} are the server's sandbox ({@code
 * user-data/}), its environment is a plain {@code PATH} and locale (none of Kiln's), its input is
 * empty, it is killed (with its children) past the agents' script time limit or when the server
 * is deleted, and what it prints is kept in {@code user-data/output.log}, as cloud-init keeps a
 * guest's in {@code cloud-init-output.log}.
 *
 * <p>A marker written before the script starts keeps it from running again (a server that
 * becomes ACTIVE again, a Kiln restart), as cloud-init's per-instance semaphore does.
 */
final class UserDataScripts {
  private static final Logger LOG = LoggerFactory.getLogger(UserDataScripts.class);
  static final String DIRECTORY = "user-data";
  private final Function<String, Path> sandboxes;
  private final Duration timeLimit;
  private final Map<String, Thread> running = new ConcurrentHashMap<>();

  /**
   * @param sandboxes a server id's sandbox directory
   * @param timeLimit how long a script may run
   */
  UserDataScripts(Function<String, Path> sandboxes, Duration timeLimit) {
    this.sandboxes = requireNonNull(sandboxes, "sandboxes is null");
    this.timeLimit = requireNonNull(timeLimit, "timeLimit is null");
  }

  /** The script in user_data as Nova keeps it (base64), or empty when user_data is no script. */
  static Optional<String> script(String base64) {
    if (base64 == null || base64.isBlank()) {
      return Optional.empty();
    }
    String text;
    try {
      text = new String(Base64.getMimeDecoder().decode(base64.strip()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    return text.startsWith("#!") ? Optional.of(text) : Optional.empty();
  }

  /**
   * The server booted: its user_data script starts (on a virtual thread) unless it has no script
   * or the script ran (or started) before. Answers whether it started now.
   */
  boolean booted(String serverId, String userData) {
    Optional<String> script = script(userData);
    if (script.isEmpty()) {
      return false;
    }
    Path dir = sandboxes.apply(serverId).resolve(DIRECTORY);
    synchronized (this) {
      Path marker = dir.resolve("started");
      if (running.containsKey(serverId) || Files.exists(marker)) {
        return false;
      }
      try {
        Files.createDirectories(dir);
        Files.writeString(marker, "", StandardCharsets.UTF_8);
      } catch (IOException e) {
        LOG.warn("The user_data script of server {} cannot be run: {}", serverId, e.toString());
        return false;
      }
      Thread thread = Thread.ofVirtual().name("user-data-" + serverId).unstarted(() -> {
        try {
          run(serverId, dir, script.get());
        } finally {
          running.remove(serverId);
        }
      });
      running.put(serverId, thread);
      thread.start();
      return true;
    }
  }

  /** The server is gone: a script of its that still runs is killed. */
  void deleted(String serverId) {
    Thread thread = running.remove(serverId);
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(Duration.ofSeconds(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Kills every script still running. */
  void close() {
    List.copyOf(running.keySet()).forEach(this::deleted);
  }

  /** Whether a script of the server's runs now. */
  boolean running(String serverId) {
    return running.containsKey(serverId);
  }

  private void run(String serverId, Path dir, String text) {
    Path script = dir.resolve("script");
    Path log = dir.resolve("output.log");
    Process process;
    try {
      Files.writeString(script, text, StandardCharsets.UTF_8);
      ProcessBuilder builder =
          new ProcessBuilder(ScriptHook.command(text, script))
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      GuestProcesses.guestEnvironment(builder, dir);
      process = builder.start();
    } catch (IOException | IllegalArgumentException e) {
      note(log, "The user_data script could not be started: " + e.getMessage());
      return;
    }
    LOG.info("Running the user_data script of server {}", serverId);
    try {
      if (process.waitFor(timeLimit.toMillis(), TimeUnit.MILLISECONDS)) {
        note(log, "The user_data script exited with status " + process.exitValue() + ".");
      } else {
        GuestProcesses.kill(process);
        note(log, "The user_data script was killed after running longer than its time limit of "
            + timeLimit.toMillis() + " ms.");
      }
    } catch (InterruptedException e) {
      GuestProcesses.kill(process);
      note(log, "The user_data script was killed: its server is gone.");
    }
  }

  /** Kills the script first (so it starts nothing more), then the children it had started. */
  private static void note(Path log, String line) {
    try {
      Files.writeString(log, line + "\n", StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    } catch (IOException e) {
      LOG.warn("Could not write {}: {}", log, e.toString());
    }
  }
}
