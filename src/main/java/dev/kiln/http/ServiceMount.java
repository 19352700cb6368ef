package dev.kiln.http;

import static java.util.Objects.requireNonNull;

import java.util.Set;

/**
 * Where a service is mounted on Kiln's one port and the catalog types it answers as: what an
 * application credential's access rule names ({@code "service": "compute"}) and what its path is
 * relative to ({@code /v2.1/servers} under {@code /compute}), as each OpenStack service's own
 * auth middleware sees a request below its catalog URL's host.
 *
 * @param prefix the path every request of the service starts with, such as {@code /compute}
 * @param types the service's catalog types, such as {@code volumev3} and {@code block-storage}
 */
public record ServiceMount(String prefix, Set<String> types) {
  public ServiceMount {
    requireNonNull(prefix, "prefix is null");
    types = Set.copyOf(types);
    if (types.isEmpty()) {
      throw new IllegalArgumentException("a service answers as at least one catalog type");
    }
  }

  public static ServiceMount of(String prefix, String... types) {
    return new ServiceMount(prefix, Set.of(types));
  }

  /** A request's path as the service sees it: below its prefix. */
  public String below(String requestPath) {
    return requestPath.startsWith(prefix) ? requestPath.substring(prefix.length()) : requestPath;
  }
}
