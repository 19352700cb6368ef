package dev.kiln.orchestration.resources.volume;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;
import dev.kiln.orchestration.resources.Cloud;
import dev.kiln.orchestration.resources.CustomConstraint;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * Block Storage's custom constraints, checked as the stack owner sees the cloud: {@code
 * cinder.volume}, {@code cinder.snapshot} and {@code cinder.backup} (by id), {@code cinder.vtype} (by
 * name or id).
 */
final class CinderConstraints {
  private CinderConstraints() {}

  static List<CustomConstraint> all(Cloud cloud) {
    return List.of(
        new Lookup("cinder.volume", "Volume", (owner, id) -> cloud.volume().volumes().visible(owner, id)),
        new Lookup("cinder.snapshot", "VolumeSnapshot", (owner, id) -> cloud.volume().snapshots().visible(owner, id)),
        new Lookup("cinder.backup", "Volume backup", (owner, id) -> cloud.volume().backups().backups().visible(owner, id)),
        new Lookup("cinder.vtype", "VolumeType", (owner, ref) -> cloud.volume().types().resolve(owner, ref)));
  }

  /** A constraint that holds when the service finds the value; Heat's message when it does not. */
  private record Lookup(String name, String entity, BiConsumer<Actor, String> find) implements CustomConstraint {
    @Override
    public Optional<String> check(Actor owner, JsonNode value) {
      String ref = value == null || value.isNull() ? "" : value.asText();
      try {
        find.accept(owner, ref);
        return Optional.empty();
      } catch (ServiceException e) {
        if (e.kind() != ServiceException.Kind.NOT_FOUND) {
          throw e;
        }
        return Optional.of(
            "Error validating value '" + ref + "': The " + entity + " (" + ref + ") could not be found.");
      }
    }
  }
}
