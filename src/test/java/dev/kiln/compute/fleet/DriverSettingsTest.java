package dev.kiln.compute.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.store.Database;
import dev.kiln.store.StatementCount;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DriverSettingsTest {
  private final Database db = Database.inMemory("driver-settings-" + UUID.randomUUID());
  private final FleetConfig config = FleetConfig.defaults(List.of("host-1"));
  private final DriverSettings settings = new DriverSettings(db, new SecureRandom(), config.latencies());

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void applyingTheConfigurationAgainReplacesWhatAnAdminChanged() {
    settings.apply(config);
    settings.put(new DriverSetting(DriverOperation.SPAWN, Duration.ofMillis(250), FaultRule.NONE));

    settings.apply(config);

    assertThat(settings.get(DriverOperation.SPAWN).latency()).isEqualTo(config.latencies().get(DriverOperation.SPAWN));
  }

  @Test
  void aRestartWithTheSameConfigurationOnlyReadsTheSettings() {
    settings.apply(config);

    Object outer = StatementCount.start();
    settings.apply(config);
    int statements = StatementCount.stop(outer);

    assertThat(statements).isEqualTo(1);
    assertThat(settings.list()).extracting(DriverSetting::faults).containsOnly(FaultRule.NONE);
  }
}
