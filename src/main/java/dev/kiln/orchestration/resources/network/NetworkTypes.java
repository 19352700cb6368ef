package dev.kiln.orchestration.resources.network;

import dev.kiln.orchestration.resources.Cloud;
import dev.kiln.orchestration.resources.CustomConstraint;
import dev.kiln.orchestration.resources.ResourceType;
import java.util.List;

/**
 * The Networking family of resource types ({@code OS::Neutron::*}) and its custom constraints,
 * acting on the cloud's Networking service as each stack's owner.
 *
 * <p>Not here: the optional QoS types (no QoS extension).
 */
public final class NetworkTypes {
  private NetworkTypes() {}

  public static List<ResourceType> all(Cloud cloud) {
    Neutron neutron = new Neutron(cloud.network());
    NetResource net = new NetResource(neutron);
    return List.of(
        net,
        new ProviderNetResource(neutron, net),
        new SubnetResource(neutron),
        new PortResource(neutron),
        new SecurityGroupResource(neutron),
        new SecurityGroupRuleResource(neutron),
        new RouterResource(neutron),
        new RouterInterfaceResource(neutron),
        new FloatingIpResource(neutron),
        new FloatingIpAssociationResource(neutron),
        new SubnetPoolResource(neutron),
        new TrunkResource(neutron));
  }

  public static List<CustomConstraint> constraints(Cloud cloud) {
    return NetworkConstraints.all(new Neutron(cloud.network()));
  }
}
