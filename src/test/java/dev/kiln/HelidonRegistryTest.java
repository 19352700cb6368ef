package dev.kiln;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.common.mapper.MapperManager;
import io.helidon.common.uri.UriQuery;
import io.helidon.service.registry.GlobalServiceRegistry;
import org.junit.jupiter.api.Test;

/**
 * The registry Kiln installs instead of Helidon's discovering one still has what Kiln's requests
 * ask Helidon for: a query parameter converted to a number, or a default when it is absent, goes
 * through the global mapper manager, which a registry without the mappers cannot supply.
 */
class HelidonRegistryTest {

  @Test
  void queryParametersConvertThroughTheInstalledRegistry() {
    HelidonRegistry.install();
    HelidonRegistry.install(); // once per process: a second call keeps the first registry

    assertThat(GlobalServiceRegistry.configured()).isTrue();
    assertThat(GlobalServiceRegistry.registry().get(MapperManager.class)).isNotNull();
    assertThat(UriQuery.create("limit=5&marker=abc").first("limit").asInt().get()).isEqualTo(5);
    assertThat(UriQuery.empty().first("limit").asInt().orElse(7)).isEqualTo(7);
  }
}
