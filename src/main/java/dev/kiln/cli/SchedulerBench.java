package dev.kiln.cli;

import dev.kiln.common.IdGenerator;
import dev.kiln.compute.ComputeService;
import dev.kiln.compute.fleet.FleetConfig;
import dev.kiln.compute.fleet.Resources;
import dev.kiln.compute.fleet.Scheduler;
import dev.kiln.store.Database;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What {@code kiln bench compute} measures in process before it starts a server: the scheduling
 * step of a boot ({@link Scheduler#selectAndClaim} of an m1.tiny, then its release) on an
 * in-memory database holding a fleet of the bench's size, and, for comparison, reading every host
 * once, which is what each boot did before the scheduler asked the database for the best few.
 */
final class SchedulerBench {
  private static final int PLACEMENTS = 2_000;
  private static final int WARM_UP = 500;
  private static final int READS = 200;

  private SchedulerBench() {}

  static String run(int hosts) {
    List<String> names = new ArrayList<>();
    for (int i = 1; i <= hosts; i++) {
      names.add("bench-compute-" + i);
    }
    try (Database db = Database.inMemory("kiln-scheduler-bench-" + System.nanoTime())) {
      ComputeService compute =
          ComputeService.start(db, Clock.systemUTC(), IdGenerator.random(), new SecureRandom(), FleetConfig.defaults(names));
      Scheduler scheduler = new Scheduler(db, compute.fleet());
      Resources tiny = new Resources(1, 512, 1);
      long[] placements = new long[PLACEMENTS];
      for (int i = -WARM_UP; i < PLACEMENTS; i++) {
        String consumer = "bench-" + i;
        long start = System.nanoTime();
        scheduler.selectAndClaim(Scheduler.Request.boot(consumer, tiny, null)).orElseThrow();
        if (i >= 0) {
          placements[i] = System.nanoTime() - start;
        }
        compute.fleet().release(consumer);
      }
      long[] reads = new long[READS];
      for (int i = 0; i < READS; i++) {
        long start = System.nanoTime();
        compute.fleet().hypervisors();
        reads[i] = System.nanoTime() - start;
      }
      Arrays.sort(placements);
      Arrays.sort(reads);
      return String.format(Locale.ROOT,
          "| scheduling step in process (%,d hosts): select and claim, then release, %,d times | median %.3f ms |"
              + " p95 %.3f ms; reading every host once: median %.3f ms |%n",
          hosts, PLACEMENTS, BenchCommand.ms(placements[PLACEMENTS / 2]), BenchCommand.ms(placements[PLACEMENTS * 95 / 100]),
          BenchCommand.ms(reads[READS / 2]));
    }
  }
}
