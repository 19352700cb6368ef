package dev.kiln.network;

/**
 * A Neutron RBAC policy: the network {@code objectId} is shared with, or usable as an external
 * network by, the project {@code targetProject} ({@code *} for every project).
 *
 * @param projectId the project that made the policy (the network's owner, unless an admin made it
 *     for another)
 */
public record RbacPolicy(
    String id, String projectId, String objectType, String objectId, Action action, String targetProject) {

  /** Every project. */
  public static final String EVERYONE = "*";

  /** The only object type whose sharing Kiln implements. */
  public static final String NETWORK = "network";

  /** What a policy grants. */
  public enum Action {
    ACCESS_AS_SHARED("access_as_shared"),
    ACCESS_AS_EXTERNAL("access_as_external");

    private final String wire;

    Action(String wire) {
      this.wire = wire;
    }

    /** Neutron's name for the action. */
    public String wire() {
      return wire;
    }

    /** The action Neutron calls this, or null. */
    public static Action fromWire(String text) {
      for (Action a : values()) {
        if (a.wire.equals(text)) {
          return a;
        }
      }
      return null;
    }
  }
}
