package dev.kiln.compute.api;

import java.security.SecureRandom;

/** Admin passwords Compute makes up when a request gives none: 12 characters, no look-alikes. */
final class Passwords {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String CHARS = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

  private Passwords() {}

  static String generate() {
    StringBuilder sb = new StringBuilder(12);
    for (int i = 0; i < 12; i++) {
      sb.append(CHARS.charAt(RANDOM.nextInt(CHARS.length())));
    }
    return sb.toString();
  }
}
