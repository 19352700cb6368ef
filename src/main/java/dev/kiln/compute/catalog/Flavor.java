package dev.kiln.compute.catalog;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.Actor;
import dev.kiln.compute.fleet.Resources;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A Nova flavor: the size of a server.
 *
 * @param id Nova's flavor id (a string: {@code "1"}, or a UUID for generated ids)
 * @param seq Nova's internal id, in creation order
 * @param swapMb swap in MiB (Nova's unit for swap)
 * @param description null for none (shown from microversion 2.55)
 * @param extraSpecs the extra specs, by key
 * @param projects the projects given access to a private flavor
 */
public record Flavor(
    String id,
    int seq,
    String name,
    int vcpus,
    int ramMb,
    int diskGb,
    int ephemeralGb,
    int swapMb,
    double rxtxFactor,
    boolean isPublic,
    boolean disabled,
    String description,
    Map<String, String> extraSpecs,
    Set<String> projects) {

  public Flavor {
    requireNonNull(id, "id is null");
    requireNonNull(name, "name is null");
    extraSpecs = Collections.unmodifiableMap(new TreeMap<>(extraSpecs));
    projects = Collections.unmodifiableSet(new TreeSet<>(projects));
  }

  /**
   * What a server of this flavor claims on its host: its vCPUs and RAM, and for disk the root and
   * ephemeral disks plus swap rounded up to whole GiB (as Nova asks Placement for DISK_GB). A
   * server booted from a volume has no local root disk: pass {@code bootFromVolume}.
   */
  public Resources resources(boolean bootFromVolume) {
    int swapGb = (int) ((swapMb + 1023L) / 1024L);
    return new Resources(vcpus, ramMb, (bootFromVolume ? 0 : diskGb) + ephemeralGb + swapGb);
  }

  /** {@link #resources(boolean)} for a server booted from an image. */
  public Resources resources() {
    return resources(false);
  }

  /** Whether the actor's project may see and use the flavor. */
  public boolean visibleTo(Actor actor) {
    return actor.admin() || isPublic || (actor.projectId() != null && projects.contains(actor.projectId()));
  }
}
