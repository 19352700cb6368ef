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
  private final Map<String, Running> agents = new ConcurrentHashMap<>();
  private volatile boolean closed;

  private record Running(GuestAgent agent, Thread thread) {}

  public GuestAgents(Settings settings, ConfigHooks hooks, Clock clock) {
    this.settings = requireNonNull(settings, "settings is null");
    this.hooks = requireNonNull(hooks, "hooks is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.http = GuestHttp.create();
  }

  /** Agents with the hooks on the class path. */
  public static GuestAgents create(Settings settings, Clock clock) {
    return new GuestAgents(settings, ConfigHooks.loaded(), clock);
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
      // Under the lock, so that a start racing close() either finishes before it or never begins.
      if (bootstrap.isEmpty() || closed) {
        return agents.containsKey(serverId);
      }
      agents.computeIfAbsent(serverId, id -> {
        GuestAgent agent = agent(id, bootstrap.get());
        Thread thread = Thread.ofVirtual().name("guest-agent-" + id).unstarted(agent);
        thread.start();
        LOG.info("Started the agent of server {} ({})", id, bootstrap.get());
        return new Running(agent, thread);
      });
      return true;
    }
  }

  /** A server is gone: its agent stops and its sandbox goes. */
  public void serverDeleted(String serverId) {
    Running running = agents.remove(serverId);
    if (running != null) {
      stop(running);
    }
    sandbox(serverId).remove();
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
    all.forEach(r -> {
      r.agent().stop();
      r.thread().interrupt();
    });
    for (Running r : all) {
      join(r);
    }
    http.close();
  }

  private GuestAgent agent(String serverId, GuestBootstrap bootstrap) {
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

  private static void stop(Running running) {
    running.agent().stop();
    running.thread().interrupt();
    join(running);
  }

  /** Waits for an agent's thread to end (a running script is killed when interrupted). */
  private static void join(Running running) {
    try {
      if (!running.thread().join(Duration.ofSeconds(10))) {
        LOG.warn("The agent of server {} did not stop within 10 s", running.agent().serverId());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
