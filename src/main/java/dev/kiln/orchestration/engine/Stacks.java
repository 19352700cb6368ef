package dev.kiln.orchestration.engine;

import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;
import dev.kiln.orchestration.store.ResourceRow;
import dev.kiln.orchestration.store.ResourceStore;
import dev.kiln.orchestration.store.StackRow;
import dev.kiln.orchestration.store.StackStore;
import dev.kiln.store.Database;
import java.util.regex.Pattern;

/** Finding stacks and resources as an actor may see them, and Heat's refusals when it may not. */
final class Stacks {
  private static final Pattern UUID =
      Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private final Database db;

  Stacks(Database db) {
    this.db = db;
  }

  static ServiceException notFound(String nameOrId) {
    return ServiceException.notFound("EntityNotFound", "The Stack (" + nameOrId + ") could not be found.");
  }

  /** By id (deleted ones too) or by the name of a live stack of the actor's project. */
  StackRow find(Actor actor, String nameOrId) {
    StackStore stacks = new StackStore(db.sql());
    if (UUID.matcher(nameOrId).matches()) {
      StackRow byId = stacks.find(nameOrId).orElse(null);
      if (byId != null && actor.owns(byId.projectId())) {
        return byId;
      }
    }
    if (actor.projectId() != null) {
      StackRow byName = stacks.findLive(actor.projectId(), nameOrId).orElse(null);
      if (byName != null) {
        return byName;
      }
    }
    throw notFound(nameOrId);
  }

  /** A stack the actor may change: found and not deleted. */
  StackRow live(Actor actor, String nameOrId) {
    StackRow stack = find(actor, nameOrId);
    if (stack.deleted()) {
      throw notFound(nameOrId);
    }
    return stack;
  }

  ResourceRow resource(StackRow stack, String name) {
    return new ResourceStore(db.sql())
        .current(stack.id(), name)
        .orElseThrow(
            () ->
                ServiceException.notFound(
                    "ResourceNotFound",
                    "The Resource (" + name + ") could not be found in Stack " + stack.name() + "."));
  }

  static ServiceException inProgress(StackRow stack) {
    return ServiceException.conflict(
        "ActionInProgress", "Stack " + stack.name() + " already has an action (" + stack.action() + ") in progress.");
  }
}
