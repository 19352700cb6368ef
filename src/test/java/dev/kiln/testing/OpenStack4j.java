package dev.kiln.testing;

import org.openstack4j.api.OSClient.OSClientV3;
import org.openstack4j.model.common.Identifier;
import org.openstack4j.openstack.OSFactory;

/** Logs the real openstack4j client in to a Kiln, the way an application would. */
public final class OpenStack4j {
  private OpenStack4j() {}

  /** The bootstrap admin, scoped to the admin project, both in the Default domain. */
  public static OSClientV3 admin(String authUrl) {
    return OSFactory.builderV3()
        .endpoint(authUrl)
        .credentials("admin", RunningKiln.ADMIN_PASSWORD, Identifier.byName("Default"))
        .scopeToProject(Identifier.byName("admin"), Identifier.byName("Default"))
        .authenticate();
  }
}
