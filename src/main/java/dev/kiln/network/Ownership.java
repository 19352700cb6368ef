package dev.kiln.network;

import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;

/** Which project a new Networking resource belongs to, by Neutron's rules. */
final class Ownership {
  private Ownership() {}

  /**
   * The actor's project, or the one the request names when an admin asks. A non-admin naming
   * another project is refused with Neutron's 400, before any policy check.
   */
  static String ownerProject(Actor actor, String requested) {
    if (requested == null || requested.equals(actor.projectId())) {
      if (actor.projectId() == null) {
        throw ServiceException.invalid(
            "HTTPBadRequest", "A project-scoped token, or a project_id, is needed to create this.");
      }
      return actor.projectId();
    }
    if (!actor.admin()) {
      throw ServiceException.invalid(
          "HTTPBadRequest",
          "Specifying 'project_id' or 'tenant_id' other than the authenticated project in request"
              + " requires admin privileges.");
    }
    return requested;
  }
}
