package dev.kiln.orchestration.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.orchestration.StackAction;
import dev.kiln.orchestration.StackStatus;
import java.time.Instant;
import java.util.List;

/**
 * One generation of one resource of a stack, as stored.
 *
 * @param id the row's uuid: the resource's id and its idempotency key
 * @param generation 0 when first made; a replacement is the next generation
 * @param current whether this row is the stack's resource of that name now
 * @param templateId the template whose definition this row follows
 * @param requires names of the resources this one needed when it was made
 * @param properties the resolved properties last applied, or null before the first create
 * @param data the type's private data (never null)
 * @param hook the breakpoint it waits on, or null
 */
public record ResourceRow(
    String id,
    String stackId,
    String name,
    int generation,
    boolean current,
    String templateId,
    String type,
    StackAction action,
    StackStatus status,
    String statusReason,
    String physicalId,
    List<String> requires,
    JsonNode properties,
    ObjectNode data,
    JsonNode metadata,
    String deletionPolicy,
    String hook,
    String nestedStackId,
    String replaces,
    String replacedBy,
    String description,
    Instant createdAt,
    Instant updatedAt) {

  public ResourceRow {
    requires = List.copyOf(requires);
  }

  /** This row in a new state. */
  public ResourceRow withState(StackAction action, StackStatus status, String reason, Instant now) {
    return new ResourceRow(
        id, stackId, name, generation, current, templateId, type, action, status, reason, physicalId, requires,
        properties, data, metadata, deletionPolicy, hook, nestedStackId, replaces, replacedBy, description, createdAt,
        now);
  }

  public ResourceRow withOutcome(
      String physicalId, JsonNode properties, ObjectNode data, JsonNode metadata, String nestedStackId) {
    return new ResourceRow(
        id, stackId, name, generation, current, templateId, type, action, status, statusReason, physicalId, requires,
        properties, data, metadata, deletionPolicy, hook, nestedStackId, replaces, replacedBy, description, createdAt,
        updatedAt);
  }

  /** This row following a new definition: the template it follows and what it needs now. */
  public ResourceRow withDefinition(
      String templateId, List<String> requires, String deletionPolicy, String description) {
    return new ResourceRow(
        id, stackId, name, generation, current, templateId, type, action, status, statusReason, physicalId, requires,
        properties, data, metadata, deletionPolicy, hook, nestedStackId, replaces, replacedBy, description, createdAt,
        updatedAt);
  }

  /** This row made (or no longer) the stack's resource of its name. */
  public ResourceRow withCurrent(boolean current, String replacedBy) {
    return new ResourceRow(
        id, stackId, name, generation, current, templateId, type, action, status, statusReason, physicalId, requires,
        properties, data, metadata, deletionPolicy, hook, nestedStackId, replaces, replacedBy, description, createdAt,
        updatedAt);
  }

  public ResourceRow withHook(String hook) {
    return new ResourceRow(
        id, stackId, name, generation, current, templateId, type, action, status, statusReason, physicalId, requires,
        properties, data, metadata, deletionPolicy, hook, nestedStackId, replaces, replacedBy, description, createdAt,
        updatedAt);
  }

  public String state() {
    return action + "_" + status;
  }
}
