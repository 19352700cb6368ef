package dev.kiln.compute.moves;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;
import dev.kiln.compute.servers.Server;
import dev.kiln.compute.servers.Servers;
import dev.kiln.image.Image;
import dev.kiln.image.ImageData;
import dev.kiln.image.ImageService;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The image a shelve saves a server's disk to, through Image's interface: made (queued) before
 * the shelve answers, filled while the server is shelving, deleted once the server runs again or
 * is deleted, or when the shelve does not happen. Every operation is safe to repeat.
 */
final class ShelvedImages {
  private final ImageService image;

  ShelvedImages(ImageService image) {
    this.image = requireNonNull(image, "image is null");
  }

  /** Creates the shelved image (queued), private to the server's project, as Nova's snapshot. */
  void create(Server server, String imageId) {
    Actor owner = new Actor(server.projectId(), server.userId(), false);
    Optional<Image> original = original(server);
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("id", imageId);
    request.put("name", server.name() + "-shelved");
    request.put("disk_format", original.map(Image::diskFormat).orElse("raw"));
    request.put("container_format", original.map(Image::containerFormat).orElse("bare"));
    request.put("min_disk", Math.max(server.flavor().diskGb(), original.map(Image::minDisk).orElse(0)));
    request.put("min_ram", original.map(Image::minRam).orElse(0));
    request.put("visibility", "private");
    request.put("image_type", "snapshot");
    request.put("instance_uuid", server.id());
    request.put("user_id", server.userId());
    request.put("base_image_ref", server.imageId());
    image.images().create(owner, request);
  }

  private Optional<Image> original(Server server) {
    try {
      return Optional.of(image.images().visible(Servers.system(server), server.imageId()));
    } catch (ServiceException e) {
      return Optional.empty(); // deleted since the server booted
    }
  }

  Optional<Image> existing(Server server, String imageId) {
    try {
      return Optional.of(image.images().visible(Servers.system(server), imageId));
    } catch (ServiceException e) {
      if (e.kind() != ServiceException.Kind.NOT_FOUND) {
        throw e;
      }
      return Optional.empty(); // its owner deleted it: the shelve goes on without saving the disk
    }
  }

  /** The simulated disk's bytes (those of the image it booted from) go into the shelved image. */
  void upload(Server server, Image made) {
    Actor owner = new Actor(server.projectId(), server.userId(), false);
    Optional<ImageData> data = Optional.empty();
    try {
      data = image.images().download(Servers.system(server), server.imageId());
    } catch (ServiceException e) {
      // the original is gone: an empty disk
    }
    try (InputStream in = data.map(ImageData::data).orElse(InputStream.nullInputStream())) {
      image.images().upload(owner, made.id(), in, data.map(ImageData::length).orElse(0L));
    } catch (ServiceException e) {
      if (e.kind() != ServiceException.Kind.NOT_FOUND && e.kind() != ServiceException.Kind.CONFLICT) {
        throw e;
      }
    } catch (IOException e) {
      throw new IllegalStateException("could not read the disk of " + server.id(), e);
    }
  }

  void delete(Server server, String imageId) {
    if (imageId == null) {
      return;
    }
    try {
      image.images().delete(Servers.system(server), imageId);
    } catch (ServiceException e) {
      // already gone
    }
  }

}
