package dev.kiln.orchestration;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.common.Actor;
import dev.kiln.orchestration.template.ParsedStack;
import dev.kiln.orchestration.template.TemplateFunction;
import dev.kiln.orchestration.template.TemplateSource;
import dev.kiln.orchestration.template.TemplateVersion;
import dev.kiln.orchestration.template.schema.ResourceSchema;
import java.util.List;
import java.util.Map;

/**
 * Kiln's Orchestration service, as the API (and later other callers) use it. Every method acts for
 * an {@link Actor}: a stack belongs to the project it was created in and is invisible (404 {@code
 * EntityNotFound}) to any other project unless the actor is an admin asking for it by id or with
 * {@code global_tenant}.
 *
 * <p>Refusals are {@link dev.kiln.common.ServiceException}s with Heat's error types: {@code
 * EntityNotFound} (404, "The Stack (x) could not be found."), {@code StackExists} (409), {@code
 * ActionInProgress} (409, a second operation on a stack that is IN_PROGRESS), {@code
 * StackValidationFailed} and the template layer's types (400).
 */
public interface OrchestrationService {
  /**
   * Validates the template, records the stack in {@code CREATE_IN_PROGRESS} and starts the create
   * as a durable task; returns at once.
   */
  Stack create(Actor actor, StackRequest request);

  /** What a create would make, without making anything: the stack and its resources in INIT. */
  StackPreview preview(Actor actor, StackRequest request);

  /** {@code POST /validate}: the parsed template, its parameters and groups, nothing made. */
  ParsedStack validate(Actor actor, TemplateSource template, Map<String, JsonNode> parameters);

  /**
   * The nested templates a validated template's resources would run (template validate with
   * {@code show_nested}), recursively.
   */
  default List<NestedTemplate> nestedTemplates(
      Actor actor, TemplateSource template, ParsedStack parsed, Map<String, JsonNode> parameters) {
    return List.of();
  }

  List<Stack> list(Actor actor, StackQuery query);

  /** How many stacks {@code query} matches, ignoring its limit and marker ({@code with_count}). */
  int count(Actor actor, StackQuery query);

  /** A stack by name (the project's live stack of that name) or by id. */
  Stack find(Actor actor, String nameOrId);

  /**
   * A stack by its name and id, as {@code /stacks/{stack_name}/{stack_id}} names it (404 when they
   * do not match). Outputs are resolved when {@code withOutputs}.
   */
  Stack get(Actor actor, String stackName, String stackId, boolean withOutputs);

  /**
   * Validates the new template and parameters, records the stack in {@code UPDATE_IN_PROGRESS}
   * pointed at them, and starts the update as a durable task; returns at once. Refuses (400) a
   * change of an {@code immutable} parameter, and (409) a stack with an operation in progress.
   */
  void update(Actor actor, String stackId, StackUpdate update);

  /** What {@link #update} would do now, computed by the same planning the update runs. */
  StackUpdatePreview previewUpdate(Actor actor, String stackId, StackUpdate update, boolean showNested);

  /**
   * Stops an update in progress: with {@code rollback}, the stack rolls back to the template before
   * ({@code cancel_update}); without, it ends {@code UPDATE_FAILED} (or {@code CREATE_FAILED} for a
   * create) where it stands ({@code cancel_without_rollback}).
   */
  void cancelUpdate(Actor actor, String stackId, boolean rollback);

  /** Starts deleting the stack (DELETE_IN_PROGRESS) as a durable task; returns at once. */
  void delete(Actor actor, String stackId);

  /** {@code suspend}, {@code resume} and {@code check}, run as durable tasks. */
  void act(Actor actor, String stackId, StackAction action);

  /** The template as stored ({@code GET …/template}). */
  JsonNode template(Actor actor, String stackId);

  /** The merged environment ({@code GET …/environment}). */
  JsonNode environment(Actor actor, String stackId);

  /** The files the stack was created with ({@code GET …/files}). */
  Map<String, String> files(Actor actor, String stackId);

  List<StackOutput> outputs(Actor actor, String stackId);

  StackOutput output(Actor actor, String stackId, String key);

  List<StackResource> resources(Actor actor, String stackId, ResourceQuery query);

  StackResource resource(Actor actor, String stackId, String resourceName, boolean withAttributes);

  /** The resource's resolved {@code metadata}. */
  JsonNode resourceMetadata(Actor actor, String stackId, String resourceName);

  /** {@code PATCH …/resources/{name}} with {@code mark_unhealthy} and {@code resource_status_reason}. */
  void markUnhealthy(Actor actor, String stackId, String resourceName, boolean unhealthy, String reason);

  /**
   * Signals a resource: {@code {"unset_hook": "pre-create"}} clears a breakpoint; a wait condition
   * handle takes {@code {"status", "reason", "data", "id"}}.
   */
  void signal(Actor actor, String stackId, String resourceName, JsonNode details);

  List<StackEvent> events(Actor actor, String stackId, EventQuery query);

  StackEvent event(Actor actor, String stackId, String resourceName, String eventId);

  /** Every resource type Kiln implements, in name order. */
  List<ResourceSchema> resourceTypes();

  /** One type's schema; 404 {@code EntityNotFound} for a type Kiln does not have. */
  ResourceSchema resourceType(String type);

  List<TemplateVersion> templateVersions();

  List<TemplateFunction> templateFunctions(String version, boolean conditionFunctionsOnly);

  /**
   * Software configs and deployments ({@code /software_configs}, {@code /software_deployments}), or
   * null for a service without them (test doubles).
   */
  default dev.kiln.orchestration.software.SoftwareService software() {
    return null;
  }
}
