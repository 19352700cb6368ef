package dev.kiln.guest;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One server's agent: os-collect-config's loop (poll every collector, act only when the metadata
 * changed, cache it once acted on) and heat-config's step (each deployment not yet deployed for
 * its action is marked, run by its group's hook, and its outcome signalled back). Runs on one
 * virtual thread, which sleeps between polls.
 */
final class GuestAgent implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(GuestAgent.class);
  /** Groups heat-config leaves to os-apply-config: nothing to run, nothing to signal. */
  private static final Set<String> NOT_RUN = Set.of(Deployment.UNGROUPED, "os-apply-config");
  /** The status of a deployment whose group has no hook here. */
  static final int NO_HOOK = 1;

  private final String serverId;
  private final List<MetadataCollector> collectors;
  private final Sandbox sandbox;
  private final ConfigHooks hooks;
  private final DeploymentSignals signals;
  private final Duration pollingInterval;
  private final Duration timeLimit;
  private final Map<String, JsonNode> last = new HashMap<>();
  private volatile boolean stopped;

  GuestAgent(
      String serverId,
      List<MetadataCollector> collectors,
      Sandbox sandbox,
      ConfigHooks hooks,
      DeploymentSignals signals,
      Duration pollingInterval,
      Duration timeLimit) {
    this.serverId = requireNonNull(serverId, "serverId is null");
    this.collectors = List.copyOf(collectors);
    this.sandbox = requireNonNull(sandbox, "sandbox is null");
    this.hooks = requireNonNull(hooks, "hooks is null");
    this.signals = requireNonNull(signals, "signals is null");
    this.pollingInterval = requireNonNull(pollingInterval, "pollingInterval is null");
    this.timeLimit = requireNonNull(timeLimit, "timeLimit is null");
    for (MetadataCollector c : collectors) {
      sandbox.cached(c.name()).ifPresent(m -> last.put(c.name(), m));
    }
  }

  String serverId() {
    return serverId;
  }

  Duration pollingInterval() {
    return pollingInterval;
  }

  Sandbox sandbox() {
    return sandbox;
  }

  @Override
  public void run() {
    LOG.debug("Agent of server {} started, polling every {}", serverId, pollingInterval);
    while (!stopped) {
      try {
        poll();
        Thread.sleep(pollingInterval);
      } catch (InterruptedException e) {
        break; // stopped
      } catch (RuntimeException e) {
        LOG.warn("Agent of server {}: {}", serverId, e.toString());
        try {
          Thread.sleep(pollingInterval);
        } catch (InterruptedException stop) {
          break;
        }
      }
    }
    LOG.debug("Agent of server {} stopped", serverId);
  }

  /** Asks the loop to end; the caller interrupts the agent's thread too. */
  void stop() {
    stopped = true;
  }

  /**
   * One round: collects, and when any collector's metadata differs from what was last acted on,
   * runs the deployments not yet deployed. Answers how many ran.
   */
  int poll() throws InterruptedException {
    Map<String, JsonNode> now = new LinkedHashMap<>();
    for (MetadataCollector c : collectors) {
      try {
        now.put(c.name(), c.collect());
      } catch (GuestException e) {
        LOG.debug("Agent of server {}: {} collector: {}", serverId, c.name(), e.getMessage());
      }
    }
    boolean changed = now.entrySet().stream().anyMatch(e -> !e.getValue().equals(last.get(e.getKey())));
    if (!changed) {
      return 0;
    }
    int ran = 0;
    for (Deployment d : deployments(now.values())) {
      if (stopped) {
        throw new InterruptedException();
      }
      if (deploy(d)) {
        ran++;
      }
    }
    // As os-collect-config, the cache moves on once the deployments were handed to their hooks.
    now.forEach((name, metadata) -> {
      sandbox.cache(name, metadata);
      last.put(name, metadata);
    });
    return ran;
  }

  /** The deployments in every collector's metadata, each id once (the first collector's wins). */
  private static List<Deployment> deployments(Iterable<JsonNode> metadata) {
    Map<String, Deployment> byId = new LinkedHashMap<>();
    for (JsonNode m : metadata) {
      JsonNode items = m.path("deployments");
      if (!items.isArray()) {
        continue;
      }
      for (JsonNode item : items) {
        Deployment.of(item).ifPresent(d -> byId.putIfAbsent(d.id(), d));
      }
    }
    return new ArrayList<>(byId.values());
  }

  /** Runs one deployment unless it ran before or is not for a hook; answers whether it ran. */
  private boolean deploy(Deployment listed) throws InterruptedException {
    Deployment d = listed.forAction().orElse(null);
    if (d == null) {
      LOG.debug("Agent of server {}: component {} has no config for action {}", serverId, listed.id(), listed.action());
      return false;
    }
    if (NOT_RUN.contains(d.group()) || sandbox.deployed(d)) {
      return false;
    }
    sandbox.markDeployed(d);
    HookResult result = hooks.find(d.group()).map(hook -> run(hook, d)).orElseGet(() -> noHook(d));
    if (result == null) {
      throw new InterruptedException();
    }
    ObjectNode data = result.signalData();
    sandbox.recordNotify(d, data);
    LOG.info("Agent of server {}: deployment {} ({} {}) ended with status {}",
        serverId, d.name(), d.group(), d.action(), result.statusCode());
    try {
      signals.send(d, data);
    } catch (GuestException e) {
      LOG.warn("Agent of server {}: the signal of deployment {} was not delivered: {}", serverId, d.id(), e.getMessage());
    }
    return true;
  }

  /** The hook's result; null when the agent was stopped while the hook ran. */
  private HookResult run(ConfigHook hook, Deployment d) {
    try {
      return hook.run(d, sandbox.hookContext(d.group(), timeLimit));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (RuntimeException e) {
      return HookResult.failed(NO_HOOK, "The " + d.group() + " hook failed: " + e);
    }
  }

  private HookResult noHook(Deployment d) {
    return HookResult.failed(
        NO_HOOK, "Kiln's agent has no hook for the config group '" + d.group() + "' (hooks: "
            + String.join(", ", hooks.groups()) + "); deployment " + d.id() + " was not run.");
  }
}
