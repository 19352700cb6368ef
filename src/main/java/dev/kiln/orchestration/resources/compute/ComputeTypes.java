package dev.kiln.orchestration.resources.compute;

import dev.kiln.orchestration.resources.Cloud;
import dev.kiln.orchestration.resources.CustomConstraint;
import dev.kiln.orchestration.resources.ResourceType;
import java.util.List;

/** The Compute family: its resource types and custom constraints, over one cloud. */
public final class ComputeTypes {
  private ComputeTypes() {}

  public static List<ResourceType> all(Cloud cloud) {
    return all(cloud, null);
  }

  /** @param metadataObjects where POLL_TEMP_URL servers' metadata objects are recorded, or null for none */
  public static List<ResourceType> all(Cloud cloud, dev.kiln.orchestration.software.MetadataObjects metadataObjects) {
    return List.of(
        new ServerResource(cloud, metadataObjects), new ServerGroupResource(cloud), new KeyPairResource(cloud), new FlavorResource(cloud));
  }

  public static List<CustomConstraint> constraints(Cloud cloud) {
    return NovaConstraints.all(cloud);
  }
}
