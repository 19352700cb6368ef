package dev.kiln.objectstore.store;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The running MD5 and length of bytes on their way into a blob. */
final class Md5Counter {
  private final MessageDigest md5;
  private final long maxBytes;
  private long size;

  Md5Counter(long maxBytes) {
    this.maxBytes = maxBytes;
    try {
      md5 = MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is part of every JDK", e);
    }
  }

  void add(byte[] buffer, int offset, int length) throws Blobs.TooLargeException {
    size += length;
    if (size > maxBytes) {
      throw new Blobs.TooLargeException(maxBytes);
    }
    md5.update(buffer, offset, length);
  }

  Blobs.Written written() {
    return new Blobs.Written(size, HexFormat.of().formatHex(md5.digest()));
  }
}
