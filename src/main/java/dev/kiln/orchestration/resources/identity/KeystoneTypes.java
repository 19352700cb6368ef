package dev.kiln.orchestration.resources.identity;

import dev.kiln.orchestration.resources.Cloud;
import dev.kiln.orchestration.resources.CustomConstraint;
import dev.kiln.orchestration.resources.ResourceType;
import java.util.List;

/** The Identity family: OS::Keystone::* resource types and the keystone.* custom constraints. */
public final class KeystoneTypes {
  private KeystoneTypes() {}

  public static List<ResourceType> all(Cloud cloud) {
    KeystoneLookups lookups = new KeystoneLookups(cloud.identity());
    RoleGrants grants = new RoleGrants(cloud.identity(), lookups);
    return List.of(
        new KeystoneProject(cloud, lookups),
        new KeystoneUser(cloud.identity(), lookups, grants),
        new KeystoneRole(cloud.identity(), lookups),
        new KeystoneUserRoleAssignment(lookups, grants));
  }

  public static List<CustomConstraint> constraints(Cloud cloud) {
    return KeystoneConstraints.all(new KeystoneLookups(cloud.identity()));
  }
}
