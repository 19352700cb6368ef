package dev.kiln.compute.fleet;

/**
 * An amount of a host's capacity: virtual CPUs, RAM in MiB and disk in GiB. Claims take and release
 * whole amounts; nothing is ever overcommitted.
 */
public record Resources(int vcpus, int ramMb, int diskGb) {
  public static final Resources NONE = new Resources(0, 0, 0);

  public Resources {
    if (vcpus < 0 || ramMb < 0 || diskGb < 0) {
      throw new IllegalArgumentException(
          "resources cannot be negative: " + vcpus + " vCPUs, " + ramMb + " MiB, " + diskGb + " GiB");
    }
  }

  /** Whether this amount fits in {@code free}. */
  public boolean fitsIn(Resources free) {
    return vcpus <= free.vcpus && ramMb <= free.ramMb && diskGb <= free.diskGb;
  }

  public Resources plus(Resources other) {
    return new Resources(vcpus + other.vcpus, ramMb + other.ramMb, diskGb + other.diskGb);
  }

  /** What is left of this capacity after {@code used}; never below zero. */
  public Resources minus(Resources used) {
    return new Resources(
        Math.max(0, vcpus - used.vcpus), Math.max(0, ramMb - used.ramMb), Math.max(0, diskGb - used.diskGb));
  }
}
