package dev.kiln.orchestration.resources;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.common.Actor;
import java.util.Optional;

/**
 * One {@code custom_constraint} ({@code nova.flavor}, {@code neutron.network}, …) checked against
 * the cloud as {@code owner} sees it.
 */
public interface CustomConstraint {
  /** The name templates use, e.g. {@code neutron.network}. */
  String name();

  /** The error message when {@code value} fails the constraint, empty when it holds. */
  Optional<String> check(Actor owner, JsonNode value);
}
