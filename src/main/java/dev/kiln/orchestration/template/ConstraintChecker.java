package dev.kiln.orchestration.template;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * Checks a {@code custom_constraint} ({@code nova.flavor}, {@code neutron.network}, …) against the
 * cloud, for the stack's owner. Implemented by the engine over the services.
 */
public interface ConstraintChecker {
  /**
   * @return the error message when {@code value} does not satisfy {@code constraint}, empty when it
   *     does or when Kiln cannot check that constraint
   */
  Optional<String> check(String constraint, JsonNode value);

  ConstraintChecker NONE = (constraint, value) -> Optional.empty();
}
