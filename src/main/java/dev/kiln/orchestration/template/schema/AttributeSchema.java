package dev.kiln.orchestration.template.schema;

/**
 * One attribute of a resource type.
 *
 * @param type Heat's attribute type ({@code string}, {@code map}, {@code list}, {@code integer},
 *     {@code boolean}), or null when Heat gives none
 */
public record AttributeSchema(String description, String type, SupportStatus supportStatus) {}
