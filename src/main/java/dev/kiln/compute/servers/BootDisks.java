package dev.kiln.compute.servers;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;
import dev.kiln.compute.catalog.Flavor;
import dev.kiln.image.Image;
import dev.kiln.image.ImageService;
import dev.kiln.volume.Snapshot;
import dev.kiln.volume.Volume;
import dev.kiln.volume.VolumeService;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks a create's image and {@code block_device_mapping_v2} as Nova's API does, and plans the
 * server's disks: either a local root disk from an image, or a boot volume, plus data volumes.
 * Kiln's hosts have no ephemeral or swap disks to map, so every mapping but the image's own
 * root disk has destination {@code volume}.
 */
public final class BootDisks {
  private static final String INVALID_BOOT_SEQUENCE =
      "Block Device Mapping is Invalid: Boot sequence for the instance and image/block device mapping combination"
          + " is not valid.";
  private static final long GIB = 1L << 30;

  private final ImageService image;
  private final VolumeService volume;

  BootDisks(ImageService image, VolumeService volume) {
    this.image = requireNonNull(image, "image is null");
    this.volume = requireNonNull(volume, "volume is null");
  }

  /**
   * One entry of {@code block_device_mapping_v2}.
   *
   * @param bootIndex the boot order, or null (or negative) for a device not booted from
   * @param local whether the destination is {@code local} rather than {@code volume}
   * @param uuid the image, volume or snapshot; null for a blank volume
   */
  public record Mapping(
      Integer bootIndex,
      BlockDevice.Source source,
      boolean local,
      String uuid,
      Integer volumeSize,
      String volumeType,
      String deviceName,
      boolean deleteOnTermination,
      String tag) {

    public Mapping {
      requireNonNull(source, "source is null");
      if (bootIndex != null && bootIndex < 0) {
        bootIndex = null;
      }
    }
  }

  /** A volume the server will have; {@code existing} is the volume for a {@code volume} source. */
  record PlannedVolume(Mapping mapping, String deviceName, Integer size, Volume existing) {}

  /** The server's disks: the root image (null when booting from a volume) and its volumes. */
  record Plan(Image rootImage, List<PlannedVolume> volumes) {
    boolean bootsFromVolume() {
      return rootImage == null;
    }
  }

  Plan plan(Actor actor, Flavor flavor, String imageRef, List<Mapping> mappings) {
    checkBootSequence(mappings);
    String rootImageId = imageRef == null || imageRef.isEmpty() ? null : imageRef;
    List<Mapping> volumeMappings = new ArrayList<>();
    boolean bootVolume = false;
    for (Mapping m : mappings) {
      if (m.local()) {
        if (m.source() != BlockDevice.Source.IMAGE || m.bootIndex() == null || m.bootIndex() != 0) {
          throw invalid(
              "Block Device Mapping is Invalid: Kiln's hosts have no ephemeral or swap disks; only the image's root disk"
                  + " may have destination_type 'local'.");
        }
        rootImageId = m.uuid();
      } else {
        volumeMappings.add(m);
        bootVolume |= m.bootIndex() != null && m.bootIndex() == 0;
      }
    }
    Image root = null;
    if (!bootVolume) {
      if (rootImageId == null) {
        throw invalid(INVALID_BOOT_SEQUENCE);
      }
      root = bootableImage(actor, rootImageId);
      if (root.minRam() > flavor.ramMb()) {
        throw ServiceException.invalid("FlavorMemoryTooSmall", "Flavor's memory is too small for requested image.");
      }
      if (root.minDisk() > flavor.diskGb()) {
        throw ServiceException.invalid("FlavorDiskSmallerThanMinDisk", "Flavor's disk is too small for requested image.");
      }
    }
    return new Plan(root, planVolumes(actor, flavor, volumeMappings, root != null));
  }

  /** Nova's rule: the boot indexes given must be 0, 1, 2 … with no gap or repeat. */
  private static void checkBootSequence(List<Mapping> mappings) {
    List<Integer> indexes = new ArrayList<>();
    mappings.stream().map(Mapping::bootIndex).filter(i -> i != null).forEach(indexes::add);
    TreeSet<Integer> sorted = new TreeSet<>(indexes);
    if (sorted.size() != indexes.size() || (!sorted.isEmpty() && (sorted.first() != 0 || sorted.last() != sorted.size() - 1))) {
      throw invalid(INVALID_BOOT_SEQUENCE);
    }
  }

  private List<PlannedVolume> planVolumes(Actor actor, Flavor flavor, List<Mapping> mappings, boolean imageRoot) {
    Set<String> devices = new HashSet<>();
    if (imageRoot) {
      // The image's root disk is /dev/vda, as Nova names it; volumes that name no device come after it.
      devices.add("/dev/vda");
    }
    for (Mapping m : mappings) {
      if (imageRoot && m.deviceName() != null && deviceName(m.deviceName()).equals("/dev/vda")) {
        throw invalid("The volume cannot be assigned the same device name as the root device vda");
      }
      if (m.deviceName() != null && !devices.add(deviceName(m.deviceName()))) {
        throw invalid("Block Device Mapping is Invalid: device name " + m.deviceName() + " is used twice.");
      }
    }
    List<PlannedVolume> planned = new ArrayList<>();
    List<Mapping> ordered = new ArrayList<>(mappings);
    // The boot volume first, so that it gets /dev/vda when it names no device.
    ordered.sort((a, b) -> Boolean.compare(b.bootIndex() != null && b.bootIndex() == 0, a.bootIndex() != null && a.bootIndex() == 0));
    char next = 'a';
    for (Mapping m : ordered) {
      String device;
      if (m.deviceName() != null) {
        device = deviceName(m.deviceName());
      } else {
        while (devices.contains("/dev/vd" + next)) {
          next++;
        }
        if (next > 'z') {
          throw invalid("Block Device Mapping is Invalid: too many devices.");
        }
        device = "/dev/vd" + next;
        devices.add(device);
      }
      planned.add(planOne(actor, flavor, m, device));
    }
    return planned;
  }

  private PlannedVolume planOne(Actor actor, Flavor flavor, Mapping m, String device) {
    boolean boot = m.bootIndex() != null && m.bootIndex() == 0;
    if (m.source() != BlockDevice.Source.BLANK && m.uuid() == null) {
      throw invalid("Block Device Mapping is Invalid: a " + m.source().novaName() + " source needs a uuid.");
    }
    if (m.volumeSize() != null && m.volumeSize() < 1) {
      throw invalid("Block Device Mapping is Invalid: volume_size must be at least 1 GiB.");
    }
    switch (m.source()) {
      case VOLUME -> {
        Volume v = existingVolume(actor, m.uuid());
        if (boot && !v.bootable()) {
          throw ServiceException.invalid("InvalidBDMVolumeNotBootable", "Block Device " + v.id() + " is not bootable.");
        }
        return new PlannedVolume(m, device, v.size(), v);
      }
      case SNAPSHOT -> {
        Snapshot s;
        try {
          s = volume.snapshots().visible(actor, m.uuid());
        } catch (ServiceException e) {
          throw notFoundAsInvalid(e, "Snapshot " + m.uuid() + " could not be found.");
        }
        int size = m.volumeSize() == null ? s.size() : m.volumeSize();
        if (size < s.size()) {
          throw invalid("Block Device Mapping is Invalid: volume_size " + size + " is smaller than snapshot " + s.id() + ".");
        }
        return new PlannedVolume(m, device, size, null);
      }
      case IMAGE -> {
        Image img = bootableImage(actor, m.uuid());
        if (boot && img.minRam() > flavor.ramMb()) {
          throw ServiceException.invalid("FlavorMemoryTooSmall", "Flavor's memory is too small for requested image.");
        }
        int needed = (int) Math.max(Math.max(1, img.minDisk()), img.size() == null ? 1 : (img.size() + GIB - 1) / GIB);
        int size = m.volumeSize() == null ? needed : m.volumeSize();
        if (size < needed) {
          throw ServiceException.invalid(
              "VolumeSmallerThanMinDisk",
              "Volume is smaller than the minimum size specified in image metadata. Volume size is " + size * GIB
                  + " bytes, minimum size is " + needed * GIB + " bytes.");
        }
        return new PlannedVolume(m, device, size, null);
      }
      case BLANK -> {
        if (boot) {
          throw invalid(INVALID_BOOT_SEQUENCE);
        }
        if (m.uuid() != null) {
          throw invalid("Block Device Mapping is Invalid: a blank volume takes no uuid.");
        }
        if (m.volumeSize() == null) {
          throw invalid("Block Device Mapping is Invalid: a blank volume needs a volume_size.");
        }
        return new PlannedVolume(m, device, m.volumeSize(), null);
      }
    }
    throw new IllegalStateException("unknown source " + m.source());
  }

  private Volume existingVolume(Actor actor, String id) {
    try {
      return volume.volumes().visible(actor, id);
    } catch (ServiceException e) {
      throw notFoundAsInvalid(e, "Volume " + id + " could not be found.");
    }
  }

  private Image bootableImage(Actor actor, String id) {
    Image img;
    try {
      img = image.images().visible(actor, id);
    } catch (ServiceException e) {
      throw notFoundAsInvalid(e, "Image " + id + " could not be found.");
    }
    if (!img.bootable()) {
      throw ServiceException.invalid("ImageNotActive", "Image " + img.id() + " is not active.");
    }
    return img;
  }

  /** {@code vdb} or {@code /dev/vdb} as Nova records it. */
  private static String deviceName(String given) {
    String name = given.startsWith("/dev/") ? given : "/dev/" + given;
    if (!name.matches("/dev/[a-z]{2,4}[a-z0-9]{0,4}")) {
      throw invalid("Block Device Mapping is Invalid: device name " + given + " is not a device.");
    }
    return name;
  }

  private static ServiceException notFoundAsInvalid(ServiceException e, String message) {
    if (e.kind() != ServiceException.Kind.NOT_FOUND) {
      return e;
    }
    return ServiceException.invalid("badRequest", message);
  }

  private static ServiceException invalid(String message) {
    return ServiceException.invalid("InvalidBDM", message);
  }
}
