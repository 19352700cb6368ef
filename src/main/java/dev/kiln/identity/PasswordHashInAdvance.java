package dev.kiln.identity;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * A password's hash, worked out on a thread of its own from the moment it is made. Kiln's start
 * hashes the admin password (100,000 PBKDF2 rounds, slow while the JIT is still cold) this way
 * while the database opens, instead of after it.
 */
public final class PasswordHashInAdvance implements Supplier<String> {
  private final CompletableFuture<String> hash;

  private PasswordHashInAdvance(CompletableFuture<String> hash) {
    this.hash = hash;
  }

  /** Starts hashing {@code password} now. */
  public static PasswordHashInAdvance start(PasswordHasher hasher, String password) {
    requireNonNull(hasher, "hasher is null");
    requireNonNull(password, "password is null");
    CompletableFuture<String> hash = new CompletableFuture<>();
    Thread.ofPlatform()
        .name("kiln-admin-password-hash")
        .daemon()
        .start(
            () -> {
              try {
                hash.complete(hasher.hash(password));
              } catch (RuntimeException | Error e) {
                hash.completeExceptionally(e);
              }
            });
    return new PasswordHashInAdvance(hash);
  }

  /** The hash; waits for it when it is not ready yet. */
  @Override
  public String get() {
    try {
      return hash.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }
}
