package dev.kiln.identity;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Random secrets (token values, application credential secrets) in URL-safe base64 that never
 * begin with {@code -} or {@code _}: users paste them on command lines, where a value that begins
 * with {@code -} reads as an option ({@code openstack token revoke -Sbmz…} failed with "the
 * following arguments are required: <token>", one value in 32). Drawing again until the first
 * character is a letter or digit costs 2 bits of 256 or 512 at most.
 */
final class CommandLineSafeSecrets {
  private CommandLineSafeSecrets() {}

  /** {@code bytes} random bytes, URL-safe base64 without padding, first character alphanumeric. */
  static String of(SecureRandom random, int bytes) {
    byte[] secret = new byte[bytes];
    while (true) {
      random.nextBytes(secret);
      String value = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
      if (Character.isLetterOrDigit(value.charAt(0))) {
        return value;
      }
    }
  }
}
