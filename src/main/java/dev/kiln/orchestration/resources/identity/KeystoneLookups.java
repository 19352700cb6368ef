package dev.kiln.orchestration.resources.identity;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.ServiceException;
import dev.kiln.identity.Directory;
import dev.kiln.identity.Domain;
import dev.kiln.identity.Group;
import dev.kiln.identity.ListFilter;
import dev.kiln.identity.Project;
import dev.kiln.identity.Role;
import dev.kiln.identity.User;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Heat's Keystone look-ups: a reference is an id, else a unique name; anything else is Heat's
 * {@code EntityNotFound} ("The KeystoneProject (x) could not be found.").
 */
final class KeystoneLookups {
  private final Directory directory;

  KeystoneLookups(Directory directory) {
    this.directory = requireNonNull(directory, "directory is null");
  }

  static final class NotFound extends Exception {
    NotFound(String entity, String ref) {
      super("The " + entity + " (" + ref + ") could not be found.");
    }
  }

  String projectId(String ref) throws NotFound {
    return resolve("KeystoneProject", ref, () -> directory.project(ref), Project::id,
        () -> directory.projects(ListFilter.none().eq("name", ref)));
  }

  String domainId(String ref) throws NotFound {
    return resolve("KeystoneDomain", ref, () -> directory.domain(ref), Domain::id,
        () -> directory.domains(ListFilter.none().eq("name", ref)));
  }

  String userId(String ref) throws NotFound {
    return resolve("KeystoneUser", ref, () -> directory.user(ref), User::id,
        () -> directory.users(ListFilter.none().eq("name", ref)));
  }

  String groupId(String ref) throws NotFound {
    return resolve("KeystoneGroup", ref, () -> directory.groups().group(ref), Group::id,
        () -> directory.groups().groups(ListFilter.none().eq("name", ref)));
  }

  String roleId(String ref) throws NotFound {
    return resolve("KeystoneRole", ref, () -> directory.role(ref), Role::id,
        () -> directory.roles(ListFilter.none().eq("name", ref)));
  }

  Optional<Project> project(String id) {
    return found(() -> directory.project(id));
  }

  Optional<User> user(String id) {
    return found(() -> directory.user(id));
  }

  Optional<Role> role(String id) {
    return found(() -> directory.role(id));
  }

  private static <T> String resolve(
      String entity, String ref, Supplier<T> byId, Function<T, String> id, Supplier<List<T>> byName) throws NotFound {
    if (ref == null || ref.isEmpty()) {
      throw new NotFound(entity, ref == null ? "" : ref);
    }
    Optional<T> direct = found(byId);
    if (direct.isPresent()) {
      return id.apply(direct.get());
    }
    List<T> named = byName.get();
    if (named.size() == 1) {
      return id.apply(named.getFirst());
    }
    throw new NotFound(entity, ref);
  }

  private static <T> Optional<T> found(Supplier<T> get) {
    try {
      return Optional.of(get.get());
    } catch (ServiceException e) {
      if (e.kind() == ServiceException.Kind.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }
}
