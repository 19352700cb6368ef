package dev.kiln.orchestration.engine;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;
import dev.kiln.orchestration.EventQuery;
import dev.kiln.orchestration.OrchestrationService;
import dev.kiln.orchestration.ResourceQuery;
import dev.kiln.orchestration.Stack;
import dev.kiln.orchestration.StackAction;
import dev.kiln.orchestration.StackEvent;
import dev.kiln.orchestration.StackOutput;
import dev.kiln.orchestration.StackPreview;
import dev.kiln.orchestration.StackQuery;
import dev.kiln.orchestration.StackRequest;
import dev.kiln.orchestration.StackResource;
import dev.kiln.orchestration.template.ParsedStack;
import dev.kiln.orchestration.template.TemplateFunction;
import dev.kiln.orchestration.template.TemplateSource;
import dev.kiln.orchestration.template.TemplateVersion;
import dev.kiln.orchestration.template.schema.ResourceSchema;
import java.util.List;
import java.util.Map;

/** {@link OrchestrationService} over the engine: commands change stacks, reads answer about them. */
final class EngineService implements OrchestrationService {
  private final Engine engine;
  private final StackCommands commands;
  private final StackUpdates updates;
  private final StackReads reads;
  private final dev.kiln.orchestration.software.SoftwareService software;

  EngineService(Engine engine, StackCommands commands, StackUpdates updates, StackReads reads,
      dev.kiln.orchestration.software.SoftwareService software) {
    this.engine = requireNonNull(engine, "engine is null");
    this.commands = requireNonNull(commands, "commands is null");
    this.updates = requireNonNull(updates, "updates is null");
    this.reads = requireNonNull(reads, "reads is null");
    this.software = requireNonNull(software, "software is null");
  }

  @Override
  public dev.kiln.orchestration.software.SoftwareService software() {
    return software;
  }

  @Override
  public void update(Actor actor, String stackId, dev.kiln.orchestration.StackUpdate update) {
    updates.update(actor, stackId, update);
  }

  @Override
  public dev.kiln.orchestration.StackUpdatePreview previewUpdate(
      Actor actor, String stackId, dev.kiln.orchestration.StackUpdate update, boolean showNested) {
    return updates.preview(actor, stackId, update, showNested);
  }

  @Override
  public void cancelUpdate(Actor actor, String stackId, boolean rollback) {
    updates.cancel(actor, stackId, rollback);
  }

  @Override
  public Stack create(Actor actor, StackRequest request) {
    return commands.create(actor, request);
  }

  @Override
  public StackPreview preview(Actor actor, StackRequest request) {
    return commands.preview(actor, request);
  }

  @Override
  public ParsedStack validate(Actor actor, TemplateSource template, Map<String, JsonNode> parameters) {
    return commands.validate(actor, template, parameters);
  }

  @Override
  public List<dev.kiln.orchestration.NestedTemplate> nestedTemplates(
      Actor actor, TemplateSource template, ParsedStack parsed, Map<String, JsonNode> parameters) {
    return new NestedTemplates(engine).of(actor, template, parsed, parameters);
  }

  @Override
  public List<Stack> list(Actor actor, StackQuery query) {
    return reads.list(actor, query);
  }

  @Override
  public int count(Actor actor, StackQuery query) {
    return reads.count(actor, query);
  }

  @Override
  public Stack find(Actor actor, String nameOrId) {
    return reads.find(actor, nameOrId);
  }

  @Override
  public Stack get(Actor actor, String stackName, String stackId, boolean withOutputs) {
    return reads.get(actor, stackName, stackId, withOutputs);
  }

  @Override
  public void delete(Actor actor, String stackId) {
    commands.delete(actor, stackId);
  }

  @Override
  public void act(Actor actor, String stackId, StackAction action) {
    commands.act(actor, stackId, action);
  }

  @Override
  public JsonNode template(Actor actor, String stackId) {
    return reads.template(actor, stackId);
  }

  @Override
  public JsonNode environment(Actor actor, String stackId) {
    return reads.environment(actor, stackId);
  }

  @Override
  public Map<String, String> files(Actor actor, String stackId) {
    return reads.files(actor, stackId);
  }

  @Override
  public List<StackOutput> outputs(Actor actor, String stackId) {
    return reads.outputs(actor, stackId);
  }

  @Override
  public StackOutput output(Actor actor, String stackId, String key) {
    return reads.output(actor, stackId, key);
  }

  @Override
  public List<StackResource> resources(Actor actor, String stackId, ResourceQuery query) {
    return reads.resources(actor, stackId, query);
  }

  @Override
  public StackResource resource(Actor actor, String stackId, String resourceName, boolean withAttributes) {
    return reads.resource(actor, stackId, resourceName, withAttributes);
  }

  @Override
  public JsonNode resourceMetadata(Actor actor, String stackId, String resourceName) {
    return reads.resourceMetadata(actor, stackId, resourceName);
  }

  @Override
  public void markUnhealthy(Actor actor, String stackId, String resourceName, boolean unhealthy, String reason) {
    commands.markUnhealthy(actor, stackId, resourceName, unhealthy, reason);
  }

  @Override
  public void signal(Actor actor, String stackId, String resourceName, JsonNode details) {
    commands.signal(actor, stackId, resourceName, details);
  }

  @Override
  public List<StackEvent> events(Actor actor, String stackId, EventQuery query) {
    return reads.events(actor, stackId, query);
  }

  @Override
  public StackEvent event(Actor actor, String stackId, String resourceName, String eventId) {
    return reads.event(actor, stackId, resourceName, eventId);
  }

  @Override
  public List<ResourceSchema> resourceTypes() {
    return engine.types().schemas();
  }

  @Override
  public ResourceSchema resourceType(String type) {
    return engine.types()
        .schema(type)
        .orElseThrow(
            () -> ServiceException.notFound("EntityNotFound", "The Resource Type (" + type + ") could not be found."));
  }

  @Override
  public List<TemplateVersion> templateVersions() {
    return engine.templates().versions();
  }

  @Override
  public List<TemplateFunction> templateFunctions(String version, boolean conditionFunctionsOnly) {
    return engine.templates().functions(version, conditionFunctionsOnly);
  }
}
