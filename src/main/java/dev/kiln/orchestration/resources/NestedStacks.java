package dev.kiln.orchestration.resources;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.orchestration.template.TemplateSource;
import java.util.Map;

/**
 * Child stacks, as a resource of the parent stack makes them. Each call runs the child's
 * operation to its end on the calling thread, and is idempotent: a repeated create finds the child
 * an earlier attempt made (by the resource row's id) and carries its create on.
 */
public interface NestedStacks {
  /**
   * Creates this resource's child stack (or carries on with the one an earlier attempt made) and
   * returns its id once it is CREATE_COMPLETE.
   *
   * @throws NestedStackFailed when the child ends CREATE_FAILED, with its reason
   */
  String create(TemplateSource template, Map<String, JsonNode> parameters, Integer timeoutMins) throws Exception;

  /**
   * Updates this resource's child stack in place to {@code template} with {@code parameters}: its
   * resources are updated, replaced, added, removed or left alone by their own rules. The child's
   * action is the parent operation's (UPDATE, or ROLLBACK when the parent rolls back). Repeated
   * after a crash, it carries on the child's update rather than starting it again.
   *
   * @throws NestedStackFailed when the child's update ends FAILED, with its reason
   */
  void update(String childId, TemplateSource template, Map<String, JsonNode> parameters, Integer timeoutMins)
      throws Exception;

  /** Deletes the child stack; nothing when it is already gone. */
  void delete(String childId) throws Exception;

  void suspend(String childId) throws Exception;

  void resume(String childId) throws Exception;

  void check(String childId) throws Exception;

  /**
   * One output of the child, resolved now; null when the child has no such output.
   *
   * @throws IllegalStateException when the output does not resolve, with the child's error
   */
  JsonNode output(String childId, String key);

  /** The child's outputs, resolved now, as an object of key to value. */
  JsonNode outputs(String childId);

  /**
   * The template the child stack was last given (a group reads its members' definitions from it),
   * or null when there is no such child.
   */
  default JsonNode template(String childId) {
    return null;
  }

  /** The child's current resources, by name. */
  Map<String, ResourceState> resources(String childId);

  /** One attribute of one of the child's resources (a group's members). */
  JsonNode attribute(String childId, String resourceName, String attribute);

  /** The attribute names of one of the child's resources (its type's schema). */
  java.util.List<String> attributeNames(String childId, String resourceName);

  /** The reference id (get_resource) of one of the child's resources. */
  String referenceId(String childId, String resourceName);

  /** A nested stack's operation failed; the message is the child's status reason. */
  final class NestedStackFailed extends Exception {
    public NestedStackFailed(String message) {
      super(message);
    }
  }
}
