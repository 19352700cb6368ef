package dev.kiln.cli;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/**
 * Where a server process's CPU goes, by kind of thread, read from {@code /proc/<pid>/task}: the
 * carrier threads that run Kiln's virtual threads (every request and every durable task), the
 * JIT's compiler threads, the VM thread (where the serial collector collects) and GC threads, and
 * the rest (H2's and HikariCP's housekeeping, Helidon's acceptors, the JVM's own periodic work).
 *
 * <p>A bench that sees a call cost far more server CPU than the call's own time needs this to say
 * why: a JIT still compiling and a collector busy with garbage look alike in the process's total.
 * Threads that end between two snapshots take their CPU with them; the ones counted here live as
 * long as the process.
 */
final class ThreadCpu {
  /** The kinds of thread CPU is split into. */
  enum Kind {
    /** ForkJoinPool workers carrying virtual threads: requests, tasks, their SQL. */
    WORK,
    /** C1 and C2 compiler threads. */
    JIT,
    /** The VM thread (safepoint operations: the serial collector runs there) and GC threads. */
    GC,
    /** Everything else. */
    OTHER
  }

  private ThreadCpu() {}

  /** The CPU each kind of thread of process {@code pid} has used so far, in nanoseconds. */
  static Map<Kind, Long> snapshot(long pid) {
    Map<Kind, Long> out = new EnumMap<>(Kind.class);
    for (Kind k : Kind.values()) {
      out.put(k, 0L);
    }
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
      for (Path task : tasks) {
        String stat;
        try {
          stat = Files.readString(task.resolve("stat"));
        } catch (IOException gone) {
          continue; // the thread ended meanwhile
        }
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        if (open < 0 || close < open) {
          continue;
        }
        String name = stat.substring(open + 1, close);
        String[] fields = stat.substring(close + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
        out.merge(kindOf(name), ticks * 10_000_000L, Long::sum); // USER_HZ is 100 on Linux
      }
    } catch (IOException e) {
      return out; // no /proc: all zero
    }
    return out;
  }

  /** The difference of two snapshots, divided by {@code calls}: CPU per call by kind. */
  static Map<Kind, Long> perCall(Map<Kind, Long> before, Map<Kind, Long> after, int calls) {
    Map<Kind, Long> out = new EnumMap<>(Kind.class);
    for (Kind k : Kind.values()) {
      out.put(k, (after.get(k) - before.get(k)) / Math.max(1, calls));
    }
    return out;
  }

  /** A thread's kind from its name as the kernel keeps it (the first 15 characters). */
  static Kind kindOf(String name) {
    if (name.startsWith("ForkJoinPool")) {
      return Kind.WORK;
    }
    if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
      return Kind.JIT;
    }
    if (name.equals("VM Thread") || name.startsWith("GC Thread") || name.startsWith("G1 ")) {
      return Kind.GC;
    }
    return Kind.OTHER;
  }
}
