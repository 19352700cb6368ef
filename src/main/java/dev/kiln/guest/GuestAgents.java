package dev.kiln.guest;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agents of a cloud's servers: one starts when a server whose user_data carries an
 * os-collect-config bootstrap becomes ACTIVE (or is found ACTIVE when Kiln starts again), and
 * stops when the server is deleted, its sandbox removed with it. Each agent is a virtual thread
 * that sleeps between polls, so idle agents cost a parked thread and a few objects.
 *
 * <p>A server whose user_data is a script ({@code #!}, Heat's RAW format) has it run once when
 * it first becomes ACTIVE, as cloud-init would ({@link UserDataScripts}).
 *
 * <p>Safe to call from any thread; a server has at most one agent however its starts race.
 */
public final class GuestAgents implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GuestAgents.class);

  /**
   * How agents run.
   *
   * @param root the directory holding each server's sandbox (a directory per server id)
   * @param pollingInterval how often an agent polls when its bootstrap names no interval
   * @param scriptTimeLimit how long one deployment may run
   * @param signalBackoff the pause before the first retry of a failed signal (doubled after)
   */
  public record Settings(Path root, Duration pollingInterval, Duration scriptTimeLimit, Duration signalBackoff) {
    /** Kiln's interval when the bootstrap names none: short, since a simulated cloud should not keep users waiting. */
    public static final Duration DEFAULT_POLLING_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_SCRIPT_TIME_LIMIT = Duration.ofMinutes(10);

    public Settings {
      requireNonNull(root, "root is null");
      requireNonNull(pollingInterval, "pollingInterval is null");
      requireNonNull(scriptTimeLimit, "scriptTimeLimit is null");
      requireNonNull(signalBackoff, "signalBackoff is null");
      if (pollingInterval.isNegative() || pollingInterval.isZero() || scriptTimeLimit.isNegative()
          || scriptTimeLimit.isZero()) {
        throw new IllegalArgumentException("the polling interval and the script time limit must be positive");
      }
    }

    /**
     * The settings for a Kiln data directory (sandboxes in its {@code guests} directory), the
     * interval and time limit taken from the system properties {@code kiln.guest.polling-interval}
     * and {@code kiln.guest.script-time-limit} (seconds, decimals allowed) when set, else from
     * the environment variables {@code KILN_GUEST_POLLING_INTERVAL} and {@code
     * KILN_GUEST_SCRIPT_TIME_LIMIT}.
     */
    public static Settings forDataDir(Path dataDir) {
      return new Settings(
          dataDir.resolve("guests"),
          seconds("kiln.guest.polling-interval", DEFAULT_POLLING_INTERVAL),
          seconds("kiln.guest.script-time-limit", DEFAULT_SCRIPT_TIME_LIMIT),
          Duration.ofMillis(500));
    }

    private static Duration seconds(String property, Duration otherwise) {
      String value = System.getProperty(property);
      if (value == null || value.isBlank()) {
        // As the system property, in the environment: KILN_GUEST_POLLING_INTERVAL, ...
        value = System.getenv(property.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_'));
      }
      if (value == null || value.isBlank()) {
        return otherwise;
      }
      try {
        return Duration.ofMillis(Math.round(Double.parseDouble(value.strip()) * 1000));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(property + " must be a number of seconds, not '" + value + "'", e);
      }
    }
  }

  private final Settings settings;
  private final ConfigHooks hooks;
  private final Clock clock;
  private final GuestHttp http;
  private final Mode mode;
  private final Map<String, Running> agents = new ConcurrentHashMap<>();
  private final UserDataScripts scripts;
  private volatile boolean closed;

  /**
   * Where agents run: {@code THREAD}, a virtual thread of Kiln's (the default: an idle agent costs
   * a parked thread), or {@code PROCESS}, a JVM of its own per server that talks to Kiln only over
   * HTTP, as a guest's os-collect-config does ({@link GuestAgentMain}).
   */
  public enum Mode {
    THREAD,
    PROCESS;

    /** The mode the system property {@code kiln.guest.mode} or else {@code KILN_GUEST_MODE} names; THREAD without one. */
    public static Mode configured() {
      String value = System.getProperty("kiln.guest.mode");
      if (value == null || value.isBlank()) {
        value = System.getenv("KILN_GUEST_MODE");
      }
      if (value == null || value.isBlank()) {
        return THREAD;
      }
      try {
        return valueOf(value.strip().toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("kiln.guest.mode must be thread or process, not '" + value + "'", e);
      }
    }
  }

  /** One server's running agent, however it runs. */
  private sealed interface Running permits InThread, InProcess {
    String serverId();

    /** Asks the agent to stop and waits (a bounded time) until it has. */
    void stop();
  }

  private record InThread(GuestAgent agent, Thread thread) implements Running {
    @Override
    public String serverId() {
      return agent.serverId();
    }

    @Override
    public void stop() {
      agent.stop();
      thread.interrupt(); // a running script is killed when interrupted
      try {
        if (!thread.join(Duration.ofSeconds(10))) {
          LOG.warn("The agent of server {} did not stop within 10 s", serverId());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private record InProcess(String serverId, Process process) implements Running {
    @Override
    public void stop() {
      try {
        process.getOutputStream().close(); // the end of its input is the agent's signal to stop
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
          LOG.warn("The agent process of server {} did not stop within 10 s; killing it", serverId);
          process.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
        }
      } catch (java.io.IOException e) {
        process.destroyForcibly();
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  public GuestAgents(Settings settings, ConfigHooks hooks, Clock clock) {
    this(settings, hooks, clock, Mode.THREAD);
  }

  public GuestAgents(Settings settings, ConfigHooks hooks, Clock clock, Mode mode) {
    this.settings = requireNonNull(settings, "settings is null");
    this.hooks = requireNonNull(hooks, "hooks is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.mode = requireNonNull(mode, "mode is null");
    this.http = GuestHttp.create();
    this.scripts = new UserDataScripts(id -> sandbox(id).root(), settings.scriptTimeLimit());
  }

  /**
   * Whether a server's user_data script runs when it boots ({@link UserDataScripts}): yes unless
   * the system property {@code kiln.guest.user-data-scripts} (else {@code
   * KILN_GUEST_USER_DATA_SCRIPTS}) is {@code off}.
   */
  static boolean userDataScriptsOn() {
    String value = System.getProperty("kiln.guest.user-data-scripts");
    if (value == null || value.isBlank()) {
      value = System.getenv("KILN_GUEST_USER_DATA_SCRIPTS");
    }
    return value == null || !value.strip().equalsIgnoreCase("off");
  }

  /** Agents with the hooks on the class path, in the configured {@link Mode}. */
  public static GuestAgents create(Settings settings, Clock clock) {
    return new GuestAgents(settings, ConfigHooks.loaded(), clock, Mode.configured());
  }

  /** Where this cloud's agents run. */
  public Mode mode() {
    return mode;
  }

  /**
   * The server metadata key that keeps Kiln's agent off a server when its value is {@code off}:
   * for whoever plays the guest instead (a test, or the real os-collect-config run against Kiln).
   */
  public static final String OPT_OUT_KEY = "kiln_guest_agent";

  /**
   * A server is ACTIVE: its agent starts if its user_data (base64, as Nova keeps it) carries a
   * bootstrap, its metadata does not turn the agent off ({@link #OPT_OUT_KEY}), and none runs
   * yet. Answers whether an agent runs for it now.
   */
  public boolean serverActive(String serverId, String userData, Map<String, String> metadata) {
    if (metadata != null && "off".equalsIgnoreCase(metadata.getOrDefault(OPT_OUT_KEY, "").strip())) {
      return false;
    }
    return serverActive(serverId, userData);
  }

  /**
   * A server is ACTIVE: its agent starts if its user_data (base64, as Nova keeps it) carries a
   * bootstrap and none runs yet. Answers whether an agent runs for it now.
   */
  public boolean serverActive(String serverId, String userData) {
    requireNonNull(serverId, "serverId is null");
    Optional<GuestBootstrap> bootstrap = GuestBootstrap.fromUserData(userData);
    synchronized (this) {
      if (!closed && userDataScriptsOn()) {
        scripts.booted(serverId, userData); // a RAW user_data script, as cloud-init runs it on first boot
      }
      // Under the lock, so that a start racing close() either finishes before it or never begins.
      if (bootstrap.isEmpty() || closed) {
        return agents.containsKey(serverId);
      }
      agents.computeIfAbsent(serverId, id -> {
        Running running = mode == Mode.PROCESS ? startProcess(id, userData) : startThread(id, bootstrap.get());
        LOG.info("Started the agent of server {} ({}, {})", id, bootstrap.get(), mode == Mode.PROCESS ? "its own process" : "a thread");
        return running;
      });
      return true;
    }
  }

  private InThread startThread(String serverId, GuestBootstrap bootstrap) {
    GuestAgent agent = agent(serverId, bootstrap);
    Thread thread = Thread.ofVirtual().name("guest-agent-" + serverId).unstarted(agent);
    thread.start();
    return new InThread(agent, thread);
  }

  /**
   * Starts {@link GuestAgentMain} in a JVM of its own (this JVM's java and class path, a small
   * heap), its output appended to {@code agent.log} in the server's sandbox, and hands it the
   * user_data on its standard input, which stays open for as long as the agent should run.
   */
  private InProcess startProcess(String serverId, String userData) {
    Path root = sandbox(serverId).root();
    try {
      java.nio.file.Files.createDirectories(root);
      List<String> command =
          List.of(
              ProcessHandle.current().info().command().orElse("java"),
              // first, so that ps (and a test) can tell whose agent a JVM is however long its class path
              "-Dkiln.guest.server=" + serverId,
              "-XX:+UseSerialGC", "-Xms8m", "-Xmx64m", "-XX:TieredStopAtLevel=1",
              "-cp", System.getProperty("java.class.path"),
              GuestAgentMain.class.getName(),
              serverId,
              settings.root().toString(),
              Long.toString(settings.pollingInterval().toMillis()),
              Long.toString(settings.scriptTimeLimit().toMillis()));
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(root.resolve("agent.log").toFile()))
              .start();
      // base64 has no meaning in white space, and the agent reads one line
      process.getOutputStream().write((userData.replaceAll("\\s", "") + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      process.getOutputStream().flush();
      return new InProcess(serverId, process);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("could not start the agent process of server " + serverId, e);
    }
  }

  /** A server is gone: its agent stops and its sandbox goes. */
  public void serverDeleted(String serverId) {
    Running running = agents.remove(serverId);
    if (running != null) {
      running.stop();
    }
    scripts.deleted(serverId);
    sandbox(serverId).remove();
  }

  /** Whether the server's user_data script runs now. */
  public boolean userDataScriptRunning(String serverId) {
    return scripts.running(serverId);
  }

  /** Whether an agent runs for the server. */
  public boolean running(String serverId) {
    return agents.containsKey(serverId);
  }

  /** The servers that have an agent running. */
  public Set<String> running() {
    return new TreeSet<>(agents.keySet());
  }

  /** Where a server's agent keeps its files. */
  public Path sandboxOf(String serverId) {
    return sandbox(serverId).root();
  }

  /** Stops every agent (their sandboxes stay, for when Kiln starts again). */
  @Override
  public void close() {
    List<Running> all;
    synchronized (this) {
      closed = true;
      all = new ArrayList<>(agents.values());
      agents.clear();
    }
    all.parallelStream().forEach(Running::stop);
    scripts.close();
    http.close();
  }

  /** The agent of one server as its bootstrap describes it (in this JVM, whatever the mode). */
  GuestAgent agent(String serverId, GuestBootstrap bootstrap) {
    List<MetadataCollector> collectors = new ArrayList<>();
    if (bootstrap.heat() != null) {
      GuestBootstrap.Heat h = bootstrap.heat();
      collectors.add(new HeatCollector(
          http, new KeystoneSession(http, clock, h.authUrl(), h.userId(), h.password(), h.projectId(), h.regionName()), h));
    }
    if (bootstrap.request() != null) {
      collectors.add(new RequestCollector(http, bootstrap.request().metadataUrl()));
    }
    if (bootstrap.cfn() != null) {
      collectors.add(new CfnCollector(http, bootstrap.cfn()));
    }
    Duration interval = bootstrap.pollingInterval() != null ? bootstrap.pollingInterval() : settings.pollingInterval();
    return new GuestAgent(
        serverId, collectors, sandbox(serverId), hooks, new DeploymentSignals(http, clock, settings.signalBackoff()),
        interval, settings.scriptTimeLimit());
  }

  private Sandbox sandbox(String serverId) {
    return new Sandbox(settings.root().resolve(Sandbox.fileName(serverId)));
  }
}
