package dev.kiln.orchestration.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
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
import dev.kiln.orchestration.StackStatus;
import dev.kiln.orchestration.template.Environment;
import dev.kiln.orchestration.template.ParameterDefinition;
import dev.kiln.orchestration.template.ParameterGroup;
import dev.kiln.orchestration.template.ParsedStack;
import dev.kiln.orchestration.template.BoundStack;
import dev.kiln.orchestration.template.ConstraintChecker;
import dev.kiln.orchestration.template.PseudoParameters;
import dev.kiln.orchestration.template.TemplateFunction;
import dev.kiln.orchestration.template.TemplateSource;
import dev.kiln.orchestration.template.TemplateVersion;
import dev.kiln.orchestration.template.schema.ResourceSchema;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A hand-written OrchestrationService for the API's translation tests: it keeps stacks in a map,
 * answers with what a test put in it, and records the last request of each kind so a test can
 * check what the API made of the HTTP request. It has no engine: a created stack is shown as the
 * test sets it.
 */
final class FakeOrchestration implements OrchestrationService {
  static final Instant T0 = Instant.parse("2026-01-02T03:04:05.678Z");

  final Map<String, Stack> stacks = new LinkedHashMap<>();
  final List<StackResource> resources = new ArrayList<>();
  final List<StackEvent> events = new ArrayList<>();
  final List<ResourceSchema> types = new ArrayList<>();
  ParsedStack parsed;
  RuntimeException refusal;

  StackRequest lastCreate;
  StackQuery lastQuery;
  ResourceQuery lastResourceQuery;
  EventQuery lastEventQuery;
  TemplateSource lastValidated;
  Map<String, JsonNode> lastValidatedParameters;
  String lastDeleted;
  dev.kiln.orchestration.StackUpdate lastUpdate;
  StackAction lastAction;
  JsonNode lastSignal;
  String lastUnhealthy;
  int count;

  static Stack stack(String id, String name, String project) {
    return new Stack(
        id, name, project, "user-1", StackAction.CREATE, StackStatus.COMPLETE,
        "Stack CREATE completed successfully", "a stack",
        Map.of("OS::stack_name", JsonNodeFactory.instance.textNode(name)),
        List.of(new StackOutput("out", null, JsonNodeFactory.instance.textNode("v"), null)),
        null, true, List.of(), null, null, T0, null, null);
  }

  Stack add(String id, String name, String project) {
    Stack s = stack(id, name, project);
    stacks.put(id, s);
    return s;
  }

  private void maybeRefuse() {
    if (refusal != null) {
      throw refusal;
    }
  }

  private Stack visible(Actor actor, String id) {
    Stack s = stacks.get(id);
    if (s == null || !actor.owns(s.projectId())) {
      throw ServiceException.notFound("EntityNotFound", "The Stack (" + id + ") could not be found.");
    }
    return s;
  }

  @Override
  public Stack create(Actor actor, StackRequest request) {
    maybeRefuse();
    lastCreate = request;
    return add("11111111-2222-3333-4444-555555555555", request.name(), actor.projectId());
  }

  @Override
  public StackPreview preview(Actor actor, StackRequest request) {
    lastCreate = request;
    Stack s = new Stack(null, request.name(), actor.projectId(), actor.userId(), StackAction.INIT,
        StackStatus.COMPLETE, "", "d", Map.of(), List.of(), null, true, List.of(), null, null, T0, null, null);
    return StackPreview.flat(s, resources);
  }

  @Override
  public ParsedStack validate(Actor actor, TemplateSource template, Map<String, JsonNode> parameters) {
    maybeRefuse();
    lastValidated = template;
    lastValidatedParameters = parameters;
    return parsed;
  }

  @Override
  public List<Stack> list(Actor actor, StackQuery query) {
    lastQuery = query;
    return stacks.values().stream().filter(s -> query.globalTenant() || actor.projectId().equals(s.projectId()))
        .limit(query.limit() == null ? Long.MAX_VALUE : query.limit()).toList();
  }

  @Override
  public int count(Actor actor, StackQuery query) {
    return count;
  }

  @Override
  public Stack find(Actor actor, String nameOrId) {
    for (Stack s : stacks.values()) {
      if ((s.id().equals(nameOrId) || s.name().equals(nameOrId)) && actor.owns(s.projectId())) {
        return s;
      }
    }
    throw ServiceException.notFound("EntityNotFound", "The Stack (" + nameOrId + ") could not be found.");
  }

  @Override
  public Stack get(Actor actor, String stackName, String stackId, boolean withOutputs) {
    Stack s = stacks.get(stackId);
    if (s == null || !s.name().equals(stackName) || !actor.owns(s.projectId())) {
      throw ServiceException.notFound("EntityNotFound", "The Stack (" + stackName + ") could not be found.");
    }
    return s;
  }

  @Override
  public void delete(Actor actor, String stackId) {
    visible(actor, stackId);
    lastDeleted = stackId;
  }

  @Override
  public void update(Actor actor, String stackId, dev.kiln.orchestration.StackUpdate update) {
    visible(actor, stackId);
    lastUpdate = update;
  }

  @Override
  public dev.kiln.orchestration.StackUpdatePreview previewUpdate(
      Actor actor, String stackId, dev.kiln.orchestration.StackUpdate update, boolean showNested) {
    visible(actor, stackId);
    return new dev.kiln.orchestration.StackUpdatePreview(List.of(), List.of(), List.of(), List.of(), List.of());
  }

  @Override
  public void cancelUpdate(Actor actor, String stackId, boolean rollback) {
    Stack s = visible(actor, stackId);
    throw ServiceException.invalid(
        "NotSupported", "Cancelling update when stack is " + s.action() + "_" + s.status() + " is not supported.");
  }

  @Override
  public void act(Actor actor, String stackId, StackAction action) {
    visible(actor, stackId);
    lastAction = action;
  }

  @Override
  public JsonNode template(Actor actor, String stackId) {
    visible(actor, stackId);
    return JsonNodeFactory.instance.objectNode().put("heat_template_version", "2018-08-31");
  }

  @Override
  public JsonNode environment(Actor actor, String stackId) {
    visible(actor, stackId);
    return JsonNodeFactory.instance.objectNode().putObject("parameters");
  }

  @Override
  public Map<String, String> files(Actor actor, String stackId) {
    visible(actor, stackId);
    return Map.of("a.yaml", "x: 1");
  }

  @Override
  public List<StackOutput> outputs(Actor actor, String stackId) {
    return visible(actor, stackId).outputs();
  }

  @Override
  public StackOutput output(Actor actor, String stackId, String key) {
    return visible(actor, stackId).outputs().stream().filter(o -> o.key().equals(key)).findFirst()
        .orElseThrow(() -> ServiceException.notFound("NotFound", "Specified output key " + key + " not found."));
  }

  @Override
  public List<StackResource> resources(Actor actor, String stackId, ResourceQuery query) {
    visible(actor, stackId);
    lastResourceQuery = query;
    return resources;
  }

  @Override
  public StackResource resource(Actor actor, String stackId, String resourceName, boolean withAttributes) {
    visible(actor, stackId);
    return resources.stream().filter(r -> r.name().equals(resourceName)).findFirst()
        .orElseThrow(() -> ServiceException.notFound("EntityNotFound",
            "The Resource (" + resourceName + ") could not be found."));
  }

  @Override
  public JsonNode resourceMetadata(Actor actor, String stackId, String resourceName) {
    resource(actor, stackId, resourceName, false);
    return JsonNodeFactory.instance.objectNode().put("k", "v");
  }

  @Override
  public void markUnhealthy(Actor actor, String stackId, String resourceName, boolean unhealthy, String reason) {
    resource(actor, stackId, resourceName, false);
    lastUnhealthy = resourceName + ":" + unhealthy + ":" + reason;
  }

  @Override
  public void signal(Actor actor, String stackId, String resourceName, JsonNode details) {
    maybeRefuse();
    resource(actor, stackId, resourceName, false);
    lastSignal = details == null ? JsonNodeFactory.instance.missingNode() : details;
  }

  @Override
  public List<StackEvent> events(Actor actor, String stackId, EventQuery query) {
    visible(actor, stackId);
    lastEventQuery = query;
    return events.stream().filter(e -> query.resourceName() == null || e.resourceName().equals(query.resourceName())).toList();
  }

  @Override
  public StackEvent event(Actor actor, String stackId, String resourceName, String eventId) {
    visible(actor, stackId);
    return events.stream().filter(e -> e.id().equals(eventId) && e.resourceName().equals(resourceName)).findFirst()
        .orElseThrow(() -> ServiceException.notFound("NotFound", "No event " + eventId + " found"));
  }

  @Override
  public List<ResourceSchema> resourceTypes() {
    return types;
  }

  @Override
  public ResourceSchema resourceType(String type) {
    return types.stream().filter(t -> t.type().equals(type)).findFirst()
        .orElseThrow(() -> ServiceException.notFound("EntityNotFound",
            "The Resource Type (" + type + ") could not be found."));
  }

  @Override
  public List<TemplateVersion> templateVersions() {
    return List.of(
        new TemplateVersion("heat_template_version.2016-04-08", "hot", List.of()),
        new TemplateVersion("heat_template_version.2018-08-31", "hot", List.of("heat_template_version.rocky")));
  }

  @Override
  public List<TemplateFunction> templateFunctions(String version, boolean conditionFunctionsOnly) {
    if (!version.startsWith("heat_template_version.")) {
      throw ServiceException.notFound("NotFound", "Template with version " + version + " not found");
    }
    List<TemplateFunction> functions = new ArrayList<>(List.of(
        new TemplateFunction("get_param", "A function for resolving parameter references."),
        new TemplateFunction("get_file", "A function for including a file inline.")));
    if (conditionFunctionsOnly) {
      functions.add(new TemplateFunction("equals", "A function for comparing whether two values are equal."));
    }
    return functions;
  }

  /** A parsed template with the given parameters, groups and environment. */
  static ParsedStack parsed(
      String description, List<ParameterDefinition> parameters, List<ParameterGroup> groups, Environment environment) {
    return new ParsedStack() {
      @Override
      public String version() {
        return "2018-08-31";
      }

      @Override
      public String description() {
        return description;
      }

      @Override
      public List<ParameterDefinition> parameters() {
        return parameters;
      }

      @Override
      public List<ParameterGroup> parameterGroups() {
        return groups;
      }

      @Override
      public Environment environment() {
        return environment;
      }

      @Override
      public JsonNode templateJson() {
        return JsonNodeFactory.instance.objectNode();
      }

      @Override
      public Map<String, String> files() {
        return Map.of();
      }

      @Override
      public BoundStack bind(Map<String, JsonNode> userParameters, PseudoParameters pseudo, ConstraintChecker checker) {
        throw new UnsupportedOperationException("the API never binds");
      }

      @Override
      public BoundStack bind(
          Map<String, JsonNode> userParameters, PseudoParameters pseudo, ConstraintChecker checker, JsonNode facade) {
        throw new UnsupportedOperationException("the API never binds");
      }
    };
  }
}
