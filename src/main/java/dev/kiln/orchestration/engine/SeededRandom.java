package dev.kiln.orchestration.engine;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.random.RandomGenerator;

/**
 * A resource's own randomness: SHA-256 in counter mode over a secret seed stored with the
 * resource row when the stack was created. As unpredictable as the seed (128 bits from a
 * SecureRandom), and the same sequence on every attempt, so a create repeated after a crash makes
 * the same random string.
 */
final class SeededRandom implements RandomGenerator {
  private final byte[] seed;
  private long counter;
  private ByteBuffer block = ByteBuffer.allocate(0);

  SeededRandom(String seed) {
    this.seed = seed.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public long nextLong() {
    if (block.remaining() < Long.BYTES) {
      block = ByteBuffer.wrap(digest(counter++));
    }
    return block.getLong();
  }

  private byte[] digest(long n) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(seed);
      sha.update(ByteBuffer.allocate(Long.BYTES).putLong(n).array());
      return sha.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
