package dev.kiln.identity;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Password hashing with PBKDF2-HMAC-SHA256 and a per-password random salt, from the JDK alone.
 * Stored form: {@code pbkdf2-sha256$<iterations>$<salt>$<hash>} (base64), so the cost can be
 * raised later and old hashes still verify.
 */
public final class PasswordHasher {
  /**
   * Default cost. It keeps a token issue, which verifies one password, well under 50 ms on the
   * 2-core machines Kiln is built on; raise it with {@code --password-hash-iterations} where
   * logins are rare and attackers are not.
   */
  public static final int DEFAULT_ITERATIONS = 100_000;

  private static final int MAX_ITERATIONS = 10_000_000;
  /** Rounds for secrets Kiln generated at random (see {@link #hashGeneratedSecret}). */
  static final int GENERATED_SECRET_ITERATIONS = 1_000;
  private static final String PREFIX = "pbkdf2-sha256";
  private static final int SALT_BYTES = 16;
  private static final int HASH_BITS = 256;

  private final int iterations;
  private final SecureRandom random;

  public PasswordHasher(int iterations, SecureRandom random) {
    if (iterations < 1_000) {
      throw new IllegalArgumentException("password hash iterations must be at least 1000");
    }
    this.iterations = iterations;
    this.random = random;
  }

  public String hash(String password) {
    return hash(password, iterations);
  }

  /**
   * Hashes a secret Kiln generated at random (at least ~128 bits) with the fewest rounds this
   * hasher accepts: stretching a secret that cannot be guessed adds cost and no safety. The rounds
   * are stored with the hash, so {@link #verify} needs nothing else.
   */
  public String hashGeneratedSecret(String secret) {
    return hash(secret, GENERATED_SECRET_ITERATIONS);
  }

  private String hash(String password, int iterations) {
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    byte[] hash = derive(password, salt, iterations);
    Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
    return PREFIX + "$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
  }

  /** Whether {@code password} matches a stored hash; compares in constant time. */
  public boolean verify(String password, String stored) {
    if (stored == null) {
      return false;
    }
    String[] parts = stored.split("\\$");
    if (parts.length != 4 || !parts[0].equals(PREFIX)) {
      return false;
    }
    try {
      int iterations = Integer.parseInt(parts[1]);
      Base64.Decoder b64 = Base64.getDecoder();
      byte[] salt = b64.decode(parts[2]);
      byte[] expected = b64.decode(parts[3]);
      // A damaged row must not turn a login into an error, nor into minutes of hashing.
      if (iterations < 1 || iterations > MAX_ITERATIONS || salt.length == 0 || expected.length == 0) {
        return false;
      }
      return MessageDigest.isEqual(expected, derive(password, salt, iterations));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static byte[] derive(String password, byte[] salt, int iterations) {
    PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, HASH_BITS);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks PBKDF2WithHmacSHA256", e);
    } finally {
      spec.clearPassword();
    }
  }
}
