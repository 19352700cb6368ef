package dev.kiln.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class CommandLineSafeSecretsTest {
  @Test
  void aSecretNeverBeginsWithWhatACommandLineReadsAsAnOption() {
    SecureRandom random = new SecureRandom();
    for (int i = 0; i < 5_000; i++) {
      String token = CommandLineSafeSecrets.of(random, 32);
      assertThat(token).hasSize(43).matches("[A-Za-z0-9][A-Za-z0-9_-]{42}");
    }
  }

  @Test
  void anApplicationCredentialSecretKeepsKeystonesLength() {
    assertThat(CommandLineSafeSecrets.of(new SecureRandom(), 64)).hasSize(86).doesNotStartWith("-").doesNotStartWith("_");
  }
}
