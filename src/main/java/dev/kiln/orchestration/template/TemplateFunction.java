package dev.kiln.orchestration.template;

/** One function of a template version, as {@code GET /template_versions/{v}/functions} lists it. */
public record TemplateFunction(String name, String description) {}
