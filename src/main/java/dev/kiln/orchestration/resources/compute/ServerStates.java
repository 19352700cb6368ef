package dev.kiln.orchestration.resources.compute;

import static java.util.Objects.requireNonNull;

import dev.kiln.compute.servers.Server;
import dev.kiln.orchestration.resources.Cloud;
import dev.kiln.orchestration.resources.ResourceContext;
import dev.kiln.orchestration.resources.ResourceError;
import java.util.Optional;
import java.util.Set;

/**
 * Waits for a server to reach a state, as Heat's client plugin polls Nova: ERROR ends a wait
 * with the server's fault ({@code ResourceInError}), any other settled state it did not expect
 * with {@code ResourceUnknownStatus}.
 */
final class ServerStates {
  private final Cloud cloud;

  ServerStates(Cloud cloud) {
    this.cloud = requireNonNull(cloud, "cloud is null");
  }

  /** The server once it shows {@code status} with no task running. */
  Server await(ResourceContext context, String serverId, String status, Set<String> passing) throws Exception {
    return Waits.until(
        context,
        serverId,
        "server " + serverId + " to be " + status,
        () -> {
          Server s =
              cloud.servers().servers().find(serverId)
                  .orElseThrow(() -> new ResourceError("NotFound", "The server (" + serverId + ") could not be found."));
          if (s.status().equals(status) && s.taskState() == null) {
            return Optional.of(s);
          }
          if (s.status().equals(Server.ERROR) && s.taskState() == null) {
            throw inError(s);
          }
          if (s.taskState() == null && !passing.contains(s.status())) {
            throw new ResourceError(
                "ResourceUnknownStatus",
                "Server is not " + status + " - Unknown status " + s.status() + " due to \"Unknown\"");
          }
          return Optional.empty();
        });
  }

  /** Heat's words for a server that went to ERROR, with Nova's fault. */
  static ResourceError inError(Server s) {
    String message = s.fault() == null ? "Unknown" : s.fault().message();
    String code = s.fault() == null ? "Unknown" : String.valueOf(s.fault().code());
    return new ResourceError(
        "ResourceInError", "Went to status ERROR due to \"Message: " + message + ", Code: " + code + "\"");
  }

  /** Waits until the server is gone; a delete that failed (ERROR, no longer deleting) is an error. */
  void awaitGone(ResourceContext context, String serverId) throws Exception {
    Waits.until(
        context,
        serverId,
        "server " + serverId + " to be deleted",
        () -> {
          Optional<Server> s = cloud.servers().servers().find(serverId);
          if (s.isEmpty()) {
            return Optional.of(Boolean.TRUE);
          }
          if (s.get().status().equals(Server.ERROR) && s.get().taskState() == null) {
            throw new ResourceError(
                "Error", "Server " + s.get().name() + " delete failed: (" + (s.get().fault() == null ? "" : s.get().fault().message()) + ")");
          }
          return Optional.empty();
        });
  }
}
