package dev.kiln.orchestration.engine;

import dev.kiln.common.ServiceException;
import dev.kiln.orchestration.StackAction;
import dev.kiln.orchestration.resources.NestedStacks;
import dev.kiln.orchestration.resources.ResourceError;

/** Heat's wording of failures: a resource's reason, and the stack's reason that names it. */
final class Failures {
  private Failures() {}

  /** {@code ValueError: resources.web: Test Resource failed web}, as Heat's ResourceFailure reads. */
  static String resourceReason(String resourceName, Throwable error) {
    if (error instanceof NestedStacks.NestedStackFailed nested) {
      return nestedReason(resourceName, nested.getMessage());
    }
    return errorType(error) + ": " + path("resources", resourceName) + ": " + message(error);
  }

  /**
   * A child stack's {@code Resource CREATE failed: ValueError: resources.x: m} seen from its parent
   * resource {@code group}: {@code ValueError: resources.group.resources.x: m}, as Heat prefixes the
   * path.
   */
  static String nestedReason(String resourceName, String childReason) {
    int failed = childReason.indexOf(" failed: ");
    if (!childReason.startsWith("Resource ") || failed < 0) {
      return "Error: " + path("resources", resourceName) + ": " + childReason;
    }
    String rest = childReason.substring(failed + " failed: ".length());
    int typeEnd = rest.indexOf(": resources.");
    if (typeEnd < 0) {
      return "Error: " + path("resources", resourceName) + ": " + rest;
    }
    String type = rest.substring(0, typeEnd);
    String pathAndMessage = rest.substring(typeEnd + 2);
    int pathEnd = pathAndMessage.indexOf(": ");
    String childPath = pathEnd < 0 ? pathAndMessage : pathAndMessage.substring(0, pathEnd);
    String message = pathEnd < 0 ? "" : pathAndMessage.substring(pathEnd + 2);
    return type + ": " + path("resources", resourceName) + "." + childPath.replaceAll("\\.(\\d+)(?=\\.|$)", "[$1]") + ": " + message;
  }

  /** Heat's path form: names joined by dots, numbers as {@code [n]}. */
  private static String path(String... items) {
    StringBuilder out = new StringBuilder();
    for (String item : items) {
      if (item.chars().allMatch(Character::isDigit) && !item.isEmpty()) {
        out.append('[').append(item).append(']');
      } else {
        out.append(out.length() == 0 ? "" : ".").append(item);
      }
    }
    return out.toString();
  }

  /** {@code Resource CREATE failed: <the resource's reason>}. */
  static String stackReason(StackAction action, String resourceReason) {
    return "Resource " + action + " failed: " + resourceReason;
  }

  static String errorType(Throwable error) {
    if (error instanceof ResourceError r) {
      return r.heatType();
    }
    if (error instanceof ServiceException s) {
      return s.type();
    }
    return "Error";
  }

  static String message(Throwable error) {
    return error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
  }
}
