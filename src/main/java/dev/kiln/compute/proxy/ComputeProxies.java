package dev.kiln.compute.proxy;

import static java.util.Objects.requireNonNull;

import dev.kiln.network.NetworkService;
import dev.kiln.volume.VolumeService;

/** Nova's proxies to Networking and Block Storage, wired once. */
public record ComputeProxies(SecurityGroupProxy securityGroups, NetworkProxy networks, VolumeProxy volumes) {
  public ComputeProxies {
    requireNonNull(securityGroups, "securityGroups is null");
    requireNonNull(networks, "networks is null");
    requireNonNull(volumes, "volumes is null");
  }

  public static ComputeProxies create(NetworkService network, VolumeService volume) {
    return new ComputeProxies(new SecurityGroupProxy(network), new NetworkProxy(network), new VolumeProxy(volume));
  }
}
