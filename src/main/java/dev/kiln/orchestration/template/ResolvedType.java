package dev.kiln.orchestration.template;

/** What a resource's type turns out to be after the environment's resource_registry. */
public sealed interface ResolvedType {
  /** A type Kiln implements in Java ({@code OS::Heat::None}, {@code OS::Nova::Server}, …). */
  record Builtin(String type) implements ResolvedType {}

  /**
   * A provider template: the type names a template (a file given with the request, or a type the
   * registry maps to one), run as a nested stack whose parameters are the resource's properties.
   *
   * @param templateName the file name as written
   * @param source the nested template, with the parent's files and environment
   */
  record ProviderTemplate(String templateName, TemplateSource source) implements ResolvedType {}
}
