package dev.kiln.orchestration.resources.volume;

import dev.kiln.orchestration.resources.Cloud;
import dev.kiln.orchestration.resources.CustomConstraint;
import dev.kiln.orchestration.resources.ResourceType;
import java.util.List;

/** The Block Storage family: OS::Cinder::* resource types and the cinder.* custom constraints. */
public final class CinderTypes {
  private CinderTypes() {}

  public static List<ResourceType> all(Cloud cloud) {
    return List.of(
        new CinderVolume(cloud), new CinderVolumeAttachment(cloud), new CinderVolumeType(cloud),
        new CinderEncryptedVolumeType(cloud));
  }

  public static List<CustomConstraint> constraints(Cloud cloud) {
    return CinderConstraints.all(cloud);
  }
}
