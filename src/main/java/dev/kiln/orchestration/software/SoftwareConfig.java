package dev.kiln.orchestration.software;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * One software config, immutable once made: what to run ({@code config}, a string or for
 * structured groups a JSON value), which in-instance hook runs it ({@code group}), its declared
 * {@code inputs} and {@code outputs}, and hook {@code options}.
 */
public record SoftwareConfig(
    String id,
    String projectId,
    String name,
    String group,
    JsonNode config,
    ArrayNode inputs,
    ArrayNode outputs,
    ObjectNode options,
    Instant createdAt) {}
