package dev.kiln.orchestration.resources.compute;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who in which stack made (or now holds) a server or port, written in its {@code description}:
 * {@code heat:<stack id>/<resource name>#<resource row id>}, with {@code from <row>@<server>} when
 * a replacement took the port over from an earlier server of the same resource. The engine
 * persists a step's outcome only when the step ends; the mark is written by the same call that
 * makes the thing, so a create or delete repeated after a crash finds what it made.
 *
 * @param fromRow the row that held the port before a replacement took it, or null
 * @param fromServer that row's server, or null
 */
record HeatMark(String stackId, String resourceName, String owner, String fromRow, String fromServer) {
  private static final Pattern FROM = Pattern.compile(" from ([^@ ]+)@([^ ]+)$");
  private static final Pattern OWNER = Pattern.compile("#([^#]+)$");
  private static final Pattern HEAD = Pattern.compile("^heat:([^/]+)/(.+)$");

  HeatMark {
    requireNonNull(stackId, "stackId is null");
    requireNonNull(resourceName, "resourceName is null");
    requireNonNull(owner, "owner is null");
  }

  static HeatMark of(String stackId, String resourceName, String owner) {
    return new HeatMark(stackId, resourceName, owner, null, null);
  }

  String render() {
    String mark = "heat:" + stackId + "/" + resourceName + "#" + owner;
    return fromRow == null ? mark : mark + " from " + fromRow + "@" + fromServer;
  }

  /** Whether {@code other} marks the same resource of the same stack (any row of it). */
  boolean sameResource(HeatMark other) {
    return stackId.equals(other.stackId) && resourceName.equals(other.resourceName);
  }

  HeatMark takenBy(String newOwner, String fromServerId) {
    return new HeatMark(stackId, resourceName, newOwner, owner, fromServerId);
  }

  /** The mark in a description, if it holds one. */
  static Optional<HeatMark> parse(String description) {
    if (description == null || !description.startsWith("heat:")) {
      return Optional.empty();
    }
    String rest = description;
    String fromRow = null;
    String fromServer = null;
    Matcher from = FROM.matcher(rest);
    if (from.find()) {
      fromRow = from.group(1);
      fromServer = from.group(2);
      rest = rest.substring(0, from.start());
    }
    Matcher owner = OWNER.matcher(rest);
    if (!owner.find()) {
      return Optional.empty();
    }
    Matcher head = HEAD.matcher(rest.substring(0, owner.start()));
    if (!head.matches()) {
      return Optional.empty();
    }
    return Optional.of(new HeatMark(head.group(1), head.group(2), owner.group(1), fromRow, fromServer));
  }
}
