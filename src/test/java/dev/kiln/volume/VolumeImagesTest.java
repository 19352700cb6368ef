package dev.kiln.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.volume.ImageCatalog.ImageInfo;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Cinder's size rules for volumes made from images, and the metadata they keep. */
class VolumeImagesTest {
  private static final long GIB = 1L << 30;

  private static ImageInfo image(long size, Long virtualSize, int minDisk) {
    return new ImageInfo(
        "img", "disk", "active", size, virtualSize, minDisk, 64, "raw", "bare", "abc", Map.of("hw_disk_bus", "virtio"));
  }

  @Test
  void imageDataLargerThanTheVolumeIsRefusedRoundingUpToWholeGib() {
    VolumeImages.checkFits(image(2 * GIB, null, 0), 2);
    assertThatThrownBy(() -> VolumeImages.checkFits(image(2 * GIB + 1, null, 0), 2))
        .hasMessage("Invalid input received: Size of specified image 3GB is larger than volume size 2GB.");
  }

  @Test
  void virtualDiskLargerThanTheVolumeIsUnacceptable() {
    assertThatThrownBy(() -> VolumeImages.checkFits(image(1024, 5 * GIB, 0), 4))
        .hasMessage("Image img is unacceptable: Image virtual size is 5GB and doesn't fit in a volume of size 4GB.");
  }

  @Test
  void metadataKeepsTheImagesAttributesAndPropertiesAsStrings() {
    assertThat(VolumeImages.metadataOf(image(1024, null, 2)))
        .containsEntry("image_id", "img")
        .containsEntry("image_name", "disk")
        .containsEntry("size", "1024")
        .containsEntry("min_disk", "2")
        .containsEntry("min_ram", "64")
        .containsEntry("checksum", "abc")
        .containsEntry("disk_format", "raw")
        .containsEntry("container_format", "bare")
        .containsEntry("hw_disk_bus", "virtio");
  }
}
