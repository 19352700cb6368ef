package dev.kiln.orchestration.resources.compute;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;
import dev.kiln.orchestration.resources.Cloud;
import dev.kiln.orchestration.resources.CustomConstraint;
import java.util.List;
import java.util.Optional;

/**
 * The {@code nova.flavor}, {@code nova.keypair}, {@code nova.server}, {@code nova.host} and
 * {@code glance.image} custom constraints: the value must name (by name or id, as Heat's finders
 * allow) something the stack owner can use. Refusals read as Heat's: {@code Error validating value
 * '<value>': <why>}.
 */
final class NovaConstraints {
  private NovaConstraints() {}

  /** A constraint from a check that throws the service's refusal. */
  private record Checked(String name, Check check) implements CustomConstraint {
    @Override
    public Optional<String> check(Actor owner, JsonNode value) {
      String text = value == null || value.isNull() ? "" : value.asText();
      try {
        check.run(owner, text);
        return Optional.empty();
      } catch (ServiceException e) {
        return Optional.of("Error validating value '" + text + "': " + e.getMessage());
      }
    }
  }

  @FunctionalInterface
  private interface Check {
    void run(Actor owner, String value);
  }

  static List<CustomConstraint> all(Cloud cloud) {
    Lookups lookups = new Lookups(cloud);
    return List.of(
        new Checked("nova.flavor", lookups::flavor),
        new Checked("glance.image", lookups::image),
        new Checked("nova.server", lookups::server),
        new Checked(
            "nova.keypair",
            (owner, name) -> {
              if (cloud.compute().keypairs().find(owner.userId(), name).isEmpty()) {
                throw ServiceException.notFound("EntityNotFound", "The Key (" + name + ") could not be found.");
              }
            }),
        new Checked(
            "nova.host",
            (owner, host) -> {
              if (!cloud.compute().fleet().isKnown(host)) {
                throw ServiceException.notFound("EntityNotFound", "The Host (" + host + ") could not be found.");
              }
            }));
  }
}
