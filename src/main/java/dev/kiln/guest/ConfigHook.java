package dev.kiln.guest;

/**
 * Runs the deployments of one config group, as a heat-config hook does in a real guest ({@code
 * /var/lib/heat-config/hooks/<group>}). Kiln finds hooks with {@link java.util.ServiceLoader}: a
 * jar that lists its implementation in {@code META-INF/services/dev.kiln.guest.ConfigHook} adds a
 * group (an implementation needs a public no-argument constructor). {@link ConfigHooks#with}
 * adds one in code.
 *
 * <p>A hook runs on its agent's virtual thread, one deployment at a time per server; it keeps
 * its files under the context's directories and stops within the context's time limit.
 */
public interface ConfigHook {
  /** The config group this hook runs ({@code script}, {@code puppet}, ...). */
  String group();

  /**
   * Runs one deployment and says how it went: the values of its declared outputs it produced,
   * its stdout, stderr and status code (0 for success). A failure of the config itself is a
   * result with a non-zero status, not an exception.
   */
  HookResult run(Deployment deployment, HookContext context) throws InterruptedException;
}
