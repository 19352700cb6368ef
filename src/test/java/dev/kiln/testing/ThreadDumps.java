package dev.kiln.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The threads of another JVM (jcmd Thread.print), for a test whose child process hangs: the
 * failure then says where. A dump is a help for reading a failure, never a condition of it, so
 * what cannot be had comes back as a note instead of an exception.
 */
public final class ThreadDumps {
  private ThreadDumps() {}

  /** The threads of JVM {@code pid}; jcmd is stopped if it hangs itself. */
  public static String of(long pid) {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Path out = null;
    try {
      out = Files.createTempFile("kiln-threads-", ".txt");
      Process dump =
          new ProcessBuilder(jcmd.toString(), Long.toString(pid), "Thread.print")
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .start();
      if (!dump.waitFor(20, TimeUnit.SECONDS)) {
        dump.destroyForcibly();
      }
      return Files.readString(out);
    } catch (IOException e) {
      return "(no thread dump of " + pid + ": " + e + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "(thread dump of " + pid + " interrupted)";
    } finally {
      if (out != null) {
        try {
          Files.deleteIfExists(out);
        } catch (IOException e) {
          // a temporary file left behind
        }
      }
    }
  }
}
