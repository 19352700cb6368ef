package dev.kiln.orchestration.resources.software;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.orchestration.resources.ResourceContext;
import dev.kiln.orchestration.resources.ResourceState;
import java.util.Locale;

/**
 * The action-aware configs of the blueprint: a SoftwareConfig's {@code configs} map holds one config
 * per lifecycle action ({@code create}, {@code update}, {@code suspend}, {@code resume}, {@code
 * delete}, or a custom name); the deployment runs the one for its current action, and the plain
 * {@code config} when the map has none for it.
 */
final class ActionConfigs {
  private ActionConfigs() {}

  static JsonNode choose(ResourceContext context, String configRef, String action, JsonNode fallback) {
    if (configRef == null) {
      return fallback;
    }
    JsonNode configs =
        context.siblingByReference(configRef)
            .map(ResourceState::properties)
            .map(p -> p.get("configs"))
            .orElse(null);
    if (configs == null || !configs.isObject()) {
      return fallback;
    }
    JsonNode chosen = configs.get(action.toLowerCase(Locale.ROOT));
    return chosen != null && !chosen.isNull() ? chosen : fallback;
  }
}
