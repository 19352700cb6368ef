package dev.kiln;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;
import dev.kiln.image.Image;
import dev.kiln.image.ImageQuery;
import dev.kiln.image.ImageData;
import dev.kiln.image.ImageService;
import dev.kiln.volume.ImageCatalog;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Block Storage's view of the Image service: its Java interface, never its tables. */
final class ImageServiceCatalog implements ImageCatalog {
  private final ImageService images;

  ImageServiceCatalog(ImageService images) {
    this.images = requireNonNull(images, "images is null");
  }

  @Override
  public Optional<ImageInfo> find(Actor actor, String imageId) {
    try {
      return Optional.of(info(images.images().visible(actor, imageId)));
    } catch (ServiceException e) {
      if (e.kind() == ServiceException.Kind.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public List<ImageInfo> named(Actor actor, String name) {
    ImageQuery byName =
        new ImageQuery(
            ImageQuery.VisibilityFilter.DEFAULT,
            List.of(new ImageQuery.Condition("name", ImageQuery.Operator.EQ, List.of(name))),
            List.of(), false, List.of(), null, ImageQuery.MAX_LIMIT);
    return images.images().list(actor, byName).images().stream().map(ImageServiceCatalog::info).toList();
  }

  @Override
  public ImageInfo create(Actor actor, Map<String, Object> request) {
    return info(images.images().create(actor, request));
  }

  @Override
  public void upload(Actor actor, String imageId, InputStream data, long length) {
    images.images().upload(actor, imageId, data, length);
  }

  @Override
  public void delete(Actor actor, String imageId) {
    images.images().delete(actor, imageId);
  }

  @Override
  public Optional<ImageBytes> download(Actor actor, String imageId) {
    try {
      Optional<ImageData> data = images.images().download(actor, imageId);
      return data.map(d -> new ImageBytes(d.data(), d.length()));
    } catch (ServiceException e) {
      return Optional.empty(); // gone or not readable: nothing to copy
    }
  }

  private static ImageInfo info(Image image) {
    return new ImageInfo(
        image.id(), image.name(), image.status().apiName(), image.size(), image.virtualSize(), image.minDisk(),
        image.minRam(), image.diskFormat(), image.containerFormat(), image.checksum(), image.properties());
  }
}
