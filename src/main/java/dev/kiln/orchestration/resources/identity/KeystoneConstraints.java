package dev.kiln.orchestration.resources.identity;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.common.Actor;
import dev.kiln.orchestration.resources.CustomConstraint;
import java.util.List;
import java.util.Optional;

/**
 * Identity's custom constraints: {@code keystone.project}, {@code keystone.user}, {@code
 * keystone.role} and {@code keystone.domain}, each an id or a unique name. Kiln has no groups,
 * services or regions to constrain.
 */
final class KeystoneConstraints {
  private KeystoneConstraints() {}

  interface Resolver {
    String resolve(String ref) throws KeystoneLookups.NotFound;
  }

  static List<CustomConstraint> all(KeystoneLookups lookups) {
    return List.of(
        new Lookup("keystone.project", lookups::projectId),
        new Lookup("keystone.user", lookups::userId),
        new Lookup("keystone.role", lookups::roleId),
        new Lookup("keystone.group", lookups::groupId),
        new Lookup("keystone.domain", lookups::domainId));
  }

  private record Lookup(String name, Resolver resolver) implements CustomConstraint {
    @Override
    public Optional<String> check(Actor owner, JsonNode value) {
      String ref = value == null || value.isNull() ? "" : value.asText();
      try {
        resolver.resolve(ref);
        return Optional.empty();
      } catch (KeystoneLookups.NotFound e) {
        return Optional.of("Error validating value '" + ref + "': " + e.getMessage());
      }
    }
  }
}
