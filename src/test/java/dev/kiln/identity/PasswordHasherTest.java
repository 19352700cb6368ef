package dev.kiln.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** PBKDF2 password hashing: verification, salting, the stored form and its cost. */
class PasswordHasherTest {
  private static final int ITERATIONS = 1_000;
  private final PasswordHasher hasher = new PasswordHasher(ITERATIONS, new SecureRandom());

  @Test
  void hashVerifies() {
    String stored = hasher.hash("s3cret");
    assertThat(hasher.verify("s3cret", stored)).isTrue();
  }

  @Test
  void wrongPasswordFails() {
    String stored = hasher.hash("s3cret");
    assertThat(hasher.verify("s3cret!", stored)).isFalse();
    assertThat(hasher.verify("S3cret", stored)).isFalse();
    assertThat(hasher.verify("", stored)).isFalse();
  }

  @Test
  void generatedSecretIsHashedWithTheFewestRoundsAndVerifiesLikeAnyOther() {
    PasswordHasher strong = new PasswordHasher(100_000, new SecureRandom());
    String stored = strong.hashGeneratedSecret("k3x9q0w7m2p5r8t1v4y6z0a3c5e7g9i1");

    assertThat(stored).startsWith("pbkdf2-sha256$1000$");
    assertThat(strong.verify("k3x9q0w7m2p5r8t1v4y6z0a3c5e7g9i1", stored)).isTrue();
    assertThat(strong.verify("k3x9q0w7m2p5r8t1v4y6z0a3c5e7g9i2", stored)).isFalse();
    assertThat(strong.hash("chosen by a person")).startsWith("pbkdf2-sha256$100000$");
  }

  @Test
  void emptyAndUnicodePasswordsVerify() {
    assertThat(hasher.verify("", hasher.hash(""))).isTrue();
    assertThat(hasher.verify("pässwörd-密码-🔑", hasher.hash("pässwörd-密码-🔑"))).isTrue();
  }

  @Test
  void twoHashesOfOnePasswordDiffer() {
    String first = hasher.hash("same");
    String second = hasher.hash("same");
    assertThat(first).isNotEqualTo(second);
    assertThat(hasher.verify("same", first)).isTrue();
    assertThat(hasher.verify("same", second)).isTrue();
  }

  @Test
  void storedFormNamesAlgorithmAndIterations() {
    String stored = hasher.hash("pw");
    assertThat(stored).startsWith("pbkdf2-sha256$1000$");
    String[] parts = stored.split("\\$");
    assertThat(parts).hasSize(4);
    assertThat(java.util.Base64.getDecoder().decode(parts[2])).hasSize(16);
    assertThat(java.util.Base64.getDecoder().decode(parts[3])).hasSize(32);
  }

  @Test
  void hashMadeWithOtherIterationsStillVerifies() {
    PasswordHasher older = new PasswordHasher(1_500, new SecureRandom());
    String stored = older.hash("pw");
    assertThat(stored).startsWith("pbkdf2-sha256$1500$");
    assertThat(hasher.verify("pw", stored)).isTrue();
    assertThat(hasher.verify("other", stored)).isFalse();
  }

  @Test
  void nullStoredHashIsFalse() {
    assertThat(hasher.verify("pw", null)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "garbage",
        "plaintext-password",
        "pbkdf2-sha256$1000$c2FsdA",
        "bcrypt$1000$c2FsdA$aGFzaA",
        "pbkdf2-sha256$1000$c2FsdA$aGFzaA$extra"
      })
  void malformedStoredHashIsFalse(String stored) {
    assertThat(hasher.verify("pw", stored)).isFalse();
  }

  @Test
  void hashOfTheRightShapeButWrongBytesIsFalse() {
    String stored = hasher.hash("pw");
    String tampered = stored.substring(0, stored.length() - 2) + (stored.endsWith("AA") ? "BB" : "AA");
    assertThat(hasher.verify("pw", tampered)).isFalse();
  }

  @Test
  void iterationsBelow1000AreRejected() {
    assertThatThrownBy(() -> new PasswordHasher(999, new SecureRandom()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1000");
    assertThatThrownBy(() -> new PasswordHasher(0, new SecureRandom()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "pbkdf2-sha256$abc$c2FsdA$aGFzaA",
        "pbkdf2-sha256$0$c2FsdA$aGFzaA",
        "pbkdf2-sha256$-5$c2FsdA$aGFzaA",
        "pbkdf2-sha256$1000$!!!$aGFzaA",
        "pbkdf2-sha256$1000$$aGFzaA"
      })
  void garbageWithTheRightPrefixIsFalse(String stored) {
    assertThat(hasher.verify("pw", stored)).isFalse();
  }
}
