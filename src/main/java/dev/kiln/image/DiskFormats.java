package dev.kiln.image;

import java.nio.ByteBuffer;

/** What Kiln can tell about uploaded data from its format and first bytes. */
final class DiskFormats {
  /** A qcow2 file starts with "QFI\xfb". */
  private static final int QCOW2_MAGIC = 0x514649fb;

  private DiskFormats() {}

  /**
   * The size of the disk the data describes: the data's size for raw images, the size in the
   * header for qcow2 images, else null (unknown), as Glance's format inspector reports it.
   */
  static Long virtualSize(String diskFormat, long size, byte[] header) {
    if ("raw".equals(diskFormat)) {
      return size;
    }
    if ("qcow2".equals(diskFormat) && header.length >= 32) {
      ByteBuffer b = ByteBuffer.wrap(header);
      if (b.getInt(0) == QCOW2_MAGIC) {
        long virtual = b.getLong(24);
        return virtual >= 0 ? virtual : null;
      }
    }
    return null;
  }
}
