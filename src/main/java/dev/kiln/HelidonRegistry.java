package dev.kiln;

import io.helidon.common.mapper.DefaultMapperProvider__ServiceDescriptor;
import io.helidon.common.mapper.DefaultResolverService__ServiceDescriptor;
import io.helidon.common.mapper.MappersFactory__ServiceDescriptor;
import io.helidon.service.registry.GlobalServiceRegistry;
import io.helidon.service.registry.ServiceRegistryConfig;
import io.helidon.service.registry.ServiceRegistryManager;

/**
 * Helidon's global service registry, holding only what Kiln's use of Helidon asks it for: the
 * mappers behind a query parameter's or header's conversion ({@code UriQuery.first} and the like).
 *
 * <p>Helidon's default registry discovers every service the jars describe (their {@code
 * service-registry.json} files and ServiceLoader providers: configuration, metrics, request scopes,
 * entry-point interceptors), none of which Kiln uses. That discovery was ~50 ms of the start's main
 * thread, the metadata's parse included, on a start of ~500 ms whose two cores are busy throughout.
 */
final class HelidonRegistry {
  private HelidonRegistry() {}

  /** Makes the registry Helidon's global one, once per process (tests start many Kilns in one). */
  static synchronized void install() {
    if (GlobalServiceRegistry.configured()) {
      return;
    }
    GlobalServiceRegistry.registry(
        ServiceRegistryManager.create(
                ServiceRegistryConfig.builder()
                    .discoverServices(false)
                    .discoverServicesFromServiceLoader(false)
                    .addServiceDescriptor(MappersFactory__ServiceDescriptor.INSTANCE)
                    .addServiceDescriptor(DefaultMapperProvider__ServiceDescriptor.INSTANCE)
                    .addServiceDescriptor(DefaultResolverService__ServiceDescriptor.INSTANCE)
                    .build())
            .registry());
  }
}
