package dev.kiln.image;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;

/**
 * The data of the default {@code cirros} image: 16 KiB that begin like a qcow2 file of a 112 MiB
 * disk (as CirrOS 0.6's is) followed by deterministic filler, the same on every node and every
 * start, so its checksums are real and stable.
 */
final class CirrosImage {
  static final int LENGTH = 16 * 1024;
  static final long VIRTUAL_SIZE = 112L * 1024 * 1024;

  private CirrosImage() {}

  static byte[] bytes() {
    byte[] data = new byte[LENGTH];
    // java.util.Random's sequence for a seed is fixed by its specification.
    new Random(0x6b696c6e_63697272L).nextBytes(data);
    ByteBuffer header = ByteBuffer.wrap(data);
    header.putInt(0, 0x514649fb); // "QFI\xfb"
    header.putInt(4, 3); // version
    header.putLong(8, 0); // no backing file
    header.putInt(16, 0);
    header.putInt(20, 16); // 64 KiB clusters
    header.putLong(24, VIRTUAL_SIZE);
    return data;
  }

  record Digests(String md5, String sha512) {}

  static Digests digests(byte[] data) {
    HexFormat hex = HexFormat.of();
    return new Digests(hex.formatHex(digest("MD5", data)), hex.formatHex(digest("SHA-512", data)));
  }

  private static byte[] digest(String algorithm, byte[] data) {
    try {
      return MessageDigest.getInstance(algorithm).digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is part of every JDK", e);
    }
  }
}
