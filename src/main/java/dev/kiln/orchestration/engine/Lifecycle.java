package dev.kiln.orchestration.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The lifecycle plugins found on the class path, called in ordinal order. */
final class Lifecycle {
  private static final Logger LOG = LoggerFactory.getLogger(Lifecycle.class);

  private final List<StackLifecyclePlugin> plugins;

  Lifecycle(List<StackLifecyclePlugin> plugins) {
    List<StackLifecyclePlugin> sorted = new ArrayList<>(plugins);
    sorted.sort(Comparator.comparingInt(StackLifecyclePlugin::ordinal));
    this.plugins = List.copyOf(sorted);
  }

  static Lifecycle fromClassPath() {
    List<StackLifecyclePlugin> found = new ArrayList<>();
    ServiceLoader.load(StackLifecyclePlugin.class).forEach(found::add);
    return new Lifecycle(found);
  }

  List<StackLifecyclePlugin> plugins() {
    return plugins;
  }

  /** @throws Exception the first refusal */
  void before(StackLifecyclePlugin.Operation operation) throws Exception {
    for (StackLifecyclePlugin plugin : plugins) {
      plugin.before(operation);
    }
  }

  void after(StackLifecyclePlugin.Operation operation) {
    for (StackLifecyclePlugin plugin : plugins) {
      try {
        plugin.after(operation);
      } catch (RuntimeException e) {
        LOG.warn("lifecycle plugin {} failed after {} of stack {}", plugin.getClass().getName(),
            operation.action(), operation.stack().id(), e);
      }
    }
  }
}
