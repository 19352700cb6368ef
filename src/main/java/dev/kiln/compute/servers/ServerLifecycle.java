package dev.kiln.compute.servers;

import static java.util.Objects.requireNonNull;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one {@link ServerLifecycleObserver} Compute tells, shared by the build and delete tasks; an
 * observer that throws is logged and ignored, so a task's outcome never depends on it.
 */
final class ServerLifecycle {
  private static final Logger LOG = LoggerFactory.getLogger(ServerLifecycle.class);

  private volatile ServerLifecycleObserver observer = ServerLifecycleObserver.NONE;

  void observe(ServerLifecycleObserver observer) {
    this.observer = requireNonNull(observer, "observer is null");
  }

  void active(String serverId) {
    try {
      observer.active(serverId);
    } catch (RuntimeException e) {
      LOG.warn("A server lifecycle observer failed on {} becoming active: {}", serverId, e.toString());
    }
  }

  void deleted(String serverId) {
    try {
      observer.deleted(serverId);
    } catch (RuntimeException e) {
      LOG.warn("A server lifecycle observer failed on {} being deleted: {}", serverId, e.toString());
    }
  }
}
