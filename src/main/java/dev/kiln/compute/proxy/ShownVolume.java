package dev.kiln.compute.proxy;

import static java.util.Objects.requireNonNull;

import dev.kiln.volume.Volume;

/**
 * A volume as Nova's proxy shows it: Block Storage's volume and the name of its type (Nova shows
 * the name Cinder gives, not the type's id).
 *
 * @param typeName null when the volume has no type or the type is gone
 */
public record ShownVolume(Volume volume, String typeName) {
  public ShownVolume {
    requireNonNull(volume, "volume is null");
  }
}
