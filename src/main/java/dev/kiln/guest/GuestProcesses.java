package dev.kiln.guest;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * How the guest starts and stops the tenant's programs (user_data scripts, deployment hooks): in
 * a guest's own small environment, never Kiln's (which may hold the admin password or a database
 * URL), and killed with everything they started.
 */
final class GuestProcesses {
  private static final Map<String, String> ENVIRONMENT =
      Map.of("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LANG", "C.UTF-8");

  private GuestProcesses() {}

  /** Replaces {@code builder}'s environment with a guest's: PATH, LANG and HOME alone. */
  static ProcessBuilder guestEnvironment(ProcessBuilder builder, Path home) {
    Map<String, String> env = builder.environment();
    env.clear();
    env.putAll(ENVIRONMENT);
    env.put("HOME", home.toString());
    return builder;
  }

  /**
   * Kills {@code process} and what it started. The children are listed first and killed after
   * the parent, so the parent cannot start another one in between.
   */
  static void kill(Process process) {
    List<ProcessHandle> children = process.descendants().toList();
    process.destroyForcibly();
    children.forEach(ProcessHandle::destroyForcibly);
    try {
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
