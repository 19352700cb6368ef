package dev.kiln.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TaskRunnerSettingsTest {
  @Test
  void noTaskLeaseKeepsTheDefaults() {
    assertThat(TaskRunner.Settings.fromEnvironment(null)).isEqualTo(TaskRunner.Settings.defaults());
    assertThat(TaskRunner.Settings.fromEnvironment(" ")).isEqualTo(TaskRunner.Settings.defaults());
  }

  @Test
  void aTaskLeaseInSecondsChangesTheLeaseOnly() {
    TaskRunner.Settings settings = TaskRunner.Settings.fromEnvironment("4");

    assertThat(settings.lease()).isEqualTo(Duration.ofSeconds(4));
    assertThat(settings.pollInterval()).isEqualTo(TaskRunner.Settings.defaults().pollInterval());
    assertThat(settings.maxAttempts()).isEqualTo(TaskRunner.Settings.defaults().maxAttempts());
  }

  @Test
  void aTaskLeaseThatIsNotWholeSecondsOrTooShortIsRefused() {
    assertThatThrownBy(() -> TaskRunner.Settings.fromEnvironment("4s"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("KILN_TASK_LEASE");
    assertThatThrownBy(() -> TaskRunner.Settings.fromEnvironment("1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 2");
  }
}
