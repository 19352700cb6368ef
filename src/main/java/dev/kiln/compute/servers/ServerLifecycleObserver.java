package dev.kiln.compute.servers;

/**
 * Told when a server's build has made it ACTIVE and when its delete has removed it, as a
 * hypervisor knows when it boots a guest and when it destroys one. Kiln's in-instance agents
 * start and stop by it.
 *
 * <p>Called on the build or delete task's thread, after the change committed: an observer returns
 * quickly and never throws (what it throws is logged and dropped, so the task's outcome stands).
 */
public interface ServerLifecycleObserver {
  /** An observer that does nothing, for a Compute nobody watches. */
  ServerLifecycleObserver NONE =
      new ServerLifecycleObserver() {
        @Override
        public void active(String serverId) {}

        @Override
        public void deleted(String serverId) {}
      };

  /** The server's first build finished: it is ACTIVE on its host. */
  void active(String serverId);

  /** The server is gone: its record was removed. */
  void deleted(String serverId);
}
