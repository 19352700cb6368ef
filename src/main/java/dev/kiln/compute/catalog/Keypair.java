package dev.kiln.compute.catalog;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A Nova keypair: a public key stored for one user (not a project) under a name, to be put on the
 * servers that user boots with {@code key_name}.
 *
 * @param id Nova's integer id, shown by GET of one keypair
 * @param type {@value #SSH} or {@value #X509}
 */
public record Keypair(
    int id, String userId, String name, String type, String fingerprint, String publicKey, Instant createdAt) {
  public static final String SSH = "ssh";
  public static final String X509 = "x509";

  public Keypair {
    requireNonNull(userId, "userId is null");
    requireNonNull(name, "name is null");
    requireNonNull(type, "type is null");
    requireNonNull(fingerprint, "fingerprint is null");
    requireNonNull(publicKey, "publicKey is null");
  }
}
