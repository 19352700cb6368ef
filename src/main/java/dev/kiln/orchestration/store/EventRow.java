package dev.kiln.orchestration.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.orchestration.StackAction;
import dev.kiln.orchestration.StackStatus;
import java.time.Instant;

/**
 * One event as stored; {@code seq} is assigned by the database in insertion order.
 *
 * @param resourceName the resource's name, or the stack's for the stack's own events
 */
public record EventRow(
    long seq,
    String id,
    String stackId,
    String rootId,
    String resourceName,
    String physicalId,
    String resourceType,
    StackAction action,
    StackStatus status,
    String reason,
    JsonNode properties,
    Instant createdAt) {}
