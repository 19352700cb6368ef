package dev.kiln.orchestration.resources;

import java.util.ArrayList;
import java.util.List;

/**
 * The resource types that act on the cloud's services (OS::Nova::*, OS::Neutron::*, OS::Cinder::*,
 * OS::Keystone::*), each family contributed by its own class.
 */
public final class CloudTypes {
  private CloudTypes() {}

  public static List<ResourceType> all(Cloud cloud) {
    return all(cloud, null);
  }

  /** @param metadataObjects where POLL_TEMP_URL servers' metadata objects are recorded, or null for none */
  public static List<ResourceType> all(Cloud cloud, dev.kiln.orchestration.software.MetadataObjects metadataObjects) {
    List<ResourceType> types = new ArrayList<>();
    types.addAll(dev.kiln.orchestration.resources.volume.CinderTypes.all(cloud));
    types.addAll(dev.kiln.orchestration.resources.identity.KeystoneTypes.all(cloud));
    types.addAll(dev.kiln.orchestration.resources.compute.ComputeTypes.all(cloud, metadataObjects));
    types.addAll(dev.kiln.orchestration.resources.network.NetworkTypes.all(cloud));
    return List.copyOf(types);
  }
}
