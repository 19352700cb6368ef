package dev.kiln.orchestration.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.orchestration.Stack;
import dev.kiln.orchestration.StackEvent;
import dev.kiln.orchestration.StackOutput;
import dev.kiln.orchestration.StackResource;
import dev.kiln.orchestration.store.EventRow;
import dev.kiln.orchestration.store.ResourceRow;
import dev.kiln.orchestration.store.StackRow;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Rows as the service's records show them. */
final class Views {
  private Views() {}

  static Stack stack(StackRow s, List<StackOutput> outputs) {
    Map<String, JsonNode> parameters = new LinkedHashMap<>();
    if (s.shownParameters() != null) {
      s.shownParameters().fields().forEachRemaining(e -> parameters.put(e.getKey(), e.getValue()));
    }
    return new Stack(
        s.id(), s.name(), s.projectId(), s.userId(), s.action(), s.status(), s.statusReason(), s.description(),
        parameters, outputs, s.timeoutMins(), s.disableRollback(), s.tags(), s.parentId(), s.parentResource(),
        s.createdAt(), s.updatedAt(), s.deletedAt());
  }

  static StackResource resource(
      StackRow stack, ResourceRow r, List<String> requiredBy, JsonNode attributes, String parentResourceName) {
    return new StackResource(
        stack.id(), stack.name(), r.name(), r.physicalId() == null ? "" : r.physicalId(), r.type(), r.action(),
        r.status(), r.statusReason() == null ? "" : r.statusReason(), r.description(), requiredBy,
        r.nestedStackId(), attributes, parentResourceName, r.createdAt(), r.updatedAt());
  }

  static StackEvent event(StackRow stack, EventRow e) {
    return new StackEvent(
        e.id(), e.seq(), stack.id(), stack.name(), e.resourceName(), e.physicalId() == null ? "" : e.physicalId(),
        e.resourceType(), e.action(), e.status(), e.reason(), e.properties(), e.createdAt());
  }
}
