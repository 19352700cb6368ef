package dev.kiln;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * With {@code KILN_START_TRACE=1}, one line on stderr for each phase of a start: the time since the
 * launcher began, the CPU time the thread that runs the start has used, and the CPU time of the
 * whole process (every thread: JIT compilers, GC, helpers). On a machine shared with other work the
 * wall clock says little, while the CPU times still show where a start spends its work and what runs
 * beside the start's own thread. Off by default, and then each mark costs one field read.
 *
 * <p>Figures come from {@code /proc} (Linux): the thread's {@code schedstat} (nanoseconds on a
 * CPU) and the process's {@code stat} (user + system ticks). The launcher passes the moment it began
 * in {@code KILN_LAUNCH_US} (bash's {@code EPOCHREALTIME}), so the first line also shows what the
 * launcher and the JVM's own start took before {@code main}.
 */
public final class StartTrace {
  private static final boolean ON = "1".equals(System.getenv("KILN_START_TRACE"));
  private static final long TICK_NANOS = 10_000_000L; // USER_HZ is 100 on Linux

  private StartTrace() {}

  public static boolean on() {
    return ON;
  }

  /** Records that the start reached {@code phase}. */
  public static void mark(String phase) {
    if (ON) {
      print(phase);
    }
  }

  private static synchronized void print(String phase) {
    String launched = System.getenv("KILN_LAUNCH_US");
    String sinceLaunch = "?";
    if (launched != null && !launched.isBlank()) {
      long micros = System.currentTimeMillis() * 1000 - Long.parseLong(launched.strip());
      sinceLaunch = Long.toString(micros / 1000);
    }
    System.err.println(
        String.format(
            Locale.ROOT,
            "start-trace %6s ms since launch | this thread %4d ms cpu | process %5d ms cpu | %s",
            sinceLaunch,
            threadCpuNanos() / 1_000_000,
            processCpuNanos() / 1_000_000,
            phase));
  }

  private static long threadCpuNanos() {
    try {
      String[] fields = Files.readString(Path.of("/proc/thread-self/schedstat")).strip().split(" ");
      return Long.parseLong(fields[0]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static long processCpuNanos() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      // Fields after the command name (which may hold spaces) start at the last ')'.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * TICK_NANOS; // utime, stime
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
