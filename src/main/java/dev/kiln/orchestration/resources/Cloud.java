package dev.kiln.orchestration.resources;

import static java.util.Objects.requireNonNull;

import dev.kiln.compute.ComputeService;
import dev.kiln.compute.ServerServices;
import dev.kiln.identity.Directory;
import dev.kiln.image.ImageService;
import dev.kiln.network.NetworkService;
import dev.kiln.volume.VolumeService;

/**
 * The cloud the resource types act on: the other services' Java interfaces, called in-process with
 * the stack owner's {@link dev.kiln.common.Actor}, exactly as Heat calls their REST APIs with the
 * owner's token. Types never reach another service's store.
 */
public record Cloud(
    ComputeService compute,
    ServerServices servers,
    NetworkService network,
    VolumeService volume,
    ImageService image,
    Directory identity,
    dev.kiln.objectstore.ObjectStoreService objectStore,
    dev.kiln.identity.UserCredentials credentials) {

  /**
   * A cloud with no Object Storage and no EC2 credentials (the temp-URL and CFN transports are then
   * refused).
   */
  public Cloud(
      ComputeService compute, ServerServices servers, NetworkService network, VolumeService volume, ImageService image,
      Directory identity) {
    this(compute, servers, network, volume, image, identity, null, null);
  }

  public Cloud {
    requireNonNull(compute, "compute is null");
    requireNonNull(servers, "servers is null");
    requireNonNull(network, "network is null");
    requireNonNull(volume, "volume is null");
    requireNonNull(image, "image is null");
    requireNonNull(identity, "identity is null");
  }
}
