package dev.kiln.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TaskRunnerSettingsTest {
  @Test
  void noTaskLeaseKeepsTheDefaults() {
    assertThat(TaskSettings.fromEnvironment(null)).isEqualTo(TaskSettings.defaults());
    assertThat(TaskSettings.fromEnvironment(" ")).isEqualTo(TaskSettings.defaults());
  }

  @Test
  void aTaskLeaseInSecondsChangesTheLeaseOnly() {
    TaskSettings settings = TaskSettings.fromEnvironment("4");

    assertThat(settings.lease()).isEqualTo(Duration.ofSeconds(4));
    assertThat(settings.pollInterval()).isEqualTo(TaskSettings.defaults().pollInterval());
    assertThat(settings.maxAttempts()).isEqualTo(TaskSettings.defaults().maxAttempts());
  }

  @Test
  void aTaskLeaseThatIsNotWholeSecondsOrTooShortIsRefused() {
    assertThatThrownBy(() -> TaskSettings.fromEnvironment("4s"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("KILN_TASK_LEASE");
    assertThatThrownBy(() -> TaskSettings.fromEnvironment("1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 2");
  }
}
