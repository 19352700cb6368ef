package dev.kiln.orchestration.engine;

import static java.util.Objects.requireNonNull;

import dev.kiln.orchestration.resources.ResourceType;
import dev.kiln.orchestration.template.ResolvedType;
import dev.kiln.orchestration.template.ResourceTypeCatalog;
import dev.kiln.orchestration.template.schema.ResourceSchema;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The resource types the engine implements, by name; the template layer checks templates against
 * their schemas through this catalog.
 */
final class ResourceTypes implements ResourceTypeCatalog {
  /** Where a row records how its type was resolved, so delete needs no template. */
  static final String IMPL_KEY = "_impl";

  private final Map<String, ResourceType> types = new TreeMap<>();
  private final ResourceType providerTemplates;

  ResourceTypes(Collection<ResourceType> builtins, ResourceType providerTemplates) {
    for (ResourceType type : builtins) {
      types.put(type.schema().type(), type);
    }
    this.providerTemplates = requireNonNull(providerTemplates, "providerTemplates is null");
  }

  @Override
  public Optional<ResourceSchema> schema(String type) {
    return Optional.ofNullable(types.get(type)).map(ResourceType::schema);
  }

  /** This catalog, checking no properties: for nested templates read but not run (see {@link #lenient}). */
  dev.kiln.orchestration.template.ResourceTypeCatalog lenientView() {
    ResourceTypes all = this;
    return new dev.kiln.orchestration.template.ResourceTypeCatalog() {
      @Override
      public Optional<ResourceSchema> schema(String type) {
        return all.schema(type);
      }

      @Override
      public boolean lenient() {
        return true;
      }

      @Override
      public java.util.Set<String> implicitDependencies(
          dev.kiln.orchestration.template.TemplateResource resource,
          List<dev.kiln.orchestration.template.TemplateResource> resources) {
        return all.implicitDependencies(resource, resources);
      }
    };
  }

  @Override
  public boolean checksProperties(String type) {
    ResourceType found = types.get(type);
    return found == null || found.checksProperties();
  }

  @Override
  public java.util.Set<String> implicitDependencies(
      dev.kiln.orchestration.template.TemplateResource resource,
      List<dev.kiln.orchestration.template.TemplateResource> all) {
    ResourceType type = types.get(resource.type());
    return type == null ? java.util.Set.of() : type.implicitDependencies(resource, all);
  }

  List<ResourceSchema> schemas() {
    List<ResourceSchema> all = new ArrayList<>();
    types.values().forEach(t -> all.add(t.schema()));
    return all;
  }

  /** What a row records of its resolved type: the builtin's name, or {@code template:} + file. */
  static String implementationName(ResolvedType resolved) {
    return switch (resolved) {
      case ResolvedType.Builtin b -> b.type();
      case ResolvedType.ProviderTemplate p -> "template:" + p.templateName();
    };
  }

  /**
   * Runs each resource's type checks ({@link ResourceType#validate}) on what the bound template
   * knows of its properties: a refusal answers 400 before anything is stored.
   */
  void validate(dev.kiln.orchestration.template.BoundStack bound) {
    for (dev.kiln.orchestration.template.ResourceDefinition definition : bound.resources()) {
      ResourceType type = forImplementation(implementationName(definition.implementation()));
      if (type.checksProperties()) {
        type.validate(definition.properties().known());
      }
      type.validateUpdatePolicy(definition.updatePolicy().known());
    }
  }

  /** The type a row's recorded implementation names. */
  ResourceType forImplementation(String implementation) {
    if (implementation != null && implementation.startsWith("template:")) {
      return providerTemplates;
    }
    ResourceType type = types.get(implementation);
    if (type == null) {
      throw new IllegalStateException("no resource type " + implementation);
    }
    return type;
  }
}
