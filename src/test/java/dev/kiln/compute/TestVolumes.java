package dev.kiln.compute;

import dev.kiln.common.IdGenerator;
import dev.kiln.store.Database;
import dev.kiln.tasks.TaskRunner;
import dev.kiln.volume.ImageCatalog;
import dev.kiln.volume.SimulatedVolumeBackend;
import dev.kiln.volume.VolumeService;
import java.time.Clock;
import java.time.Duration;

/** Block Storage for store-level Compute tests: no latency, no images to make volumes from. */
public final class TestVolumes {
  private TestVolumes() {}

  public static VolumeService create(Database db, Clock clock, IdGenerator ids, TaskRunner tasks) {
    return VolumeService.create(db, clock, ids, new SimulatedVolumeBackend(Duration.ZERO), tasks, ImageCatalog.NONE);
  }
}
