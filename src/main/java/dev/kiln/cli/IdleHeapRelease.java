package dev.kiln.cli;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the heap's spare memory back to the OS once Kiln goes quiet after a burst of work.
 *
 * <p>Why: the launcher runs the serial collector (the least memory for a mostly idle cloud), which
 * grows its heap under load instead of collecting the old generation, and shrinks it only after a
 * full collection, which a quiet server never has. After the attach benchmark the heap held 166 MB
 * of which ~35 MB was live, and stayed so. Java's G1 has this built in ({@code
 * G1PeriodicGCInterval}); this is the same for the serial collector: when the process has used
 * under 2% of a core for {@value #QUIET_SECONDS} s and the heap grew by more than {@value
 * #GROWTH_MB} MB since the last such collection (or the start), one full collection runs, and the
 * heap shrinks as the launcher's {@code MaxHeapFreeRatio} says. It never runs while Kiln works.
 *
 * <p>It runs again, still only while quiet, once the old generation has taken in more than {@value
 * #PROMOTED_MB} MB since: work that goes on at a trickle after a burst (the embedded file's
 * compaction, rewriting what the burst left behind) filled it with ~9 MB of garbage within seconds
 * of the first collection, which the heap then kept, its committed size unchanged.
 *
 * <p>And once more when Kiln has stayed quiet for {@value #SETTLE_SECONDS} s and the old generation
 * took in more than {@value #SETTLE_MB} MB since the last collection: the tail of that trickle,
 * under the threshold above, otherwise stayed for good (after every benchmark, 6 MB of garbage in
 * a 39 MB old generation, and the young generation sized after it). A server that stays idle
 * promotes nothing, so this runs at most once per quiet spell.
 */
final class IdleHeapRelease implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(IdleHeapRelease.class);
  static final int QUIET_SECONDS = 5;
  static final long GROWTH_MB = 24;
  static final long PROMOTED_MB = 8;
  static final int SETTLE_SECONDS = 30;
  static final long SETTLE_MB = 1;
  /**
   * How much of the heap a quiet server's collection leaves free, in percent: less than the
   * launcher's {@code MaxHeapFreeRatio} (30), which stays what the collections under load go by, so
   * that work that comes back finds room without growing the heap at once.
   */
  static final int IDLE_MAX_HEAP_FREE_PERCENT = 15;
  private static final long QUIET_CPU_NANOS = TimeUnit.SECONDS.toNanos(QUIET_SECONDS) / 50;

  private final LongSupplier processCpuNanos;
  private final LongSupplier heapCommitted;
  private final LongSupplier oldGenerationUsed;
  private final Runnable collect;
  private final long[] cpuAtTick = new long[QUIET_SECONDS + 1];
  private int ticks;
  private int quietTicks;
  private long settledCommitted;
  private long settledOld;
  private ScheduledExecutorService timer;

  /**
   * @param oldGenerationUsed bytes in use in the old generation (0 for a collector without one)
   */
  IdleHeapRelease(
      LongSupplier processCpuNanos, LongSupplier heapCommitted, LongSupplier oldGenerationUsed, Runnable collect) {
    this.processCpuNanos = processCpuNanos;
    this.heapCommitted = heapCommitted;
    this.oldGenerationUsed = oldGenerationUsed;
    this.collect = collect;
    this.settledCommitted = heapCommitted.getAsLong();
    this.settledOld = oldGenerationUsed.getAsLong();
  }

  /**
   * Watches this process once a second.
   *
   * @param releaseFirst what else to give up before the collection, so that it becomes garbage
   *     (the database pool's idle connections)
   */
  static IdleHeapRelease start(Runnable releaseFirst) {
    Runtime runtime = Runtime.getRuntime();
    if (!(ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os)) {
      return new IdleHeapRelease(() -> 0, runtime::totalMemory, () -> 0, () -> {}); // a JVM that cannot say its CPU time
    }
    MemoryPoolMXBean old = ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP && (p.getName().contains("Tenured") || p.getName().contains("Old")))
        .findFirst().orElse(null);
    LongSupplier oldUsed = old == null ? () -> 0 : () -> old.getUsage().getUsed();
    Runnable collect = () -> {
      try {
        releaseFirst.run();
      } catch (RuntimeException e) {
        // The collection still helps; and a timer task that throws is never run again.
        LOG.warn("Could not give idle resources back before collecting: {}", e.toString());
      }
      collectLeavingLittleFree();
    };
    IdleHeapRelease release = new IdleHeapRelease(os::getProcessCpuTime, runtime::totalMemory, oldUsed, collect);
    release.timer =
        Executors.newSingleThreadScheduledExecutor(
            task -> Thread.ofPlatform().name("kiln-idle-heap-release").daemon().unstarted(task));
    release.timer.scheduleWithFixedDelay(release::tick, 1, 1, TimeUnit.SECONDS);
    return release;
  }

  /**
   * A full collection that shrinks the heap to {@value #IDLE_MAX_HEAP_FREE_PERCENT}% free, the
   * launcher's setting put back after it (a JVM that does not let it be changed: a plain one).
   */
  private static void collectLeavingLittleFree() {
    HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    String usual;
    try {
      usual = vm.getVMOption("MaxHeapFreeRatio").getValue();
      if (Integer.parseInt(usual) > IDLE_MAX_HEAP_FREE_PERCENT) {
        vm.setVMOption("MaxHeapFreeRatio", Integer.toString(IDLE_MAX_HEAP_FREE_PERCENT));
      }
    } catch (IllegalArgumentException e) { // below MinHeapFreeRatio, or not writeable here
      System.gc();
      return;
    }
    try {
      System.gc();
    } finally {
      try {
        vm.setVMOption("MaxHeapFreeRatio", usual);
      } catch (IllegalArgumentException e) { // it was valid a moment ago: cannot happen
        LOG.warn("Could not put MaxHeapFreeRatio back to {}: {}", usual, e.toString());
      }
    }
  }

  /** One second's look: collects when the last seconds were quiet and the heap grew. */
  void tick() {
    long cpu = processCpuNanos.getAsLong();
    long committed = heapCommitted.getAsLong();
    settledCommitted = Math.min(settledCommitted, committed); // the collector shrank it itself
    int slot = ticks % cpuAtTick.length;
    long windowStart = cpuAtTick[slot];
    cpuAtTick[slot] = cpu;
    ticks++;
    boolean quiet = ticks > QUIET_SECONDS && cpu - windowStart < QUIET_CPU_NANOS;
    quietTicks = quiet ? quietTicks + 1 : 0;
    long promoted = oldGenerationUsed.getAsLong() - settledOld;
    boolean settling = quietTicks >= SETTLE_SECONDS && promoted > SETTLE_MB << 20;
    if (quiet && (committed - settledCommitted > GROWTH_MB << 20 || promoted > PROMOTED_MB << 20 || settling)) {
      collect.run();
      settledCommitted = heapCommitted.getAsLong();
      settledOld = oldGenerationUsed.getAsLong();
      ticks = 0; // the collection's own CPU is not work: the quiet window starts again
      quietTicks = 0;
    }
  }

  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }
}
