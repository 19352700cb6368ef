package dev.kiln.orchestration.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.kiln.http.AllowedRequests;
import dev.kiln.http.Caller;
import dev.kiln.orchestration.StackAction;
import dev.kiln.orchestration.StackEvent;
import dev.kiln.orchestration.StackResource;
import dev.kiln.orchestration.StackStatus;
import dev.kiln.orchestration.template.Environment;
import dev.kiln.orchestration.template.ParameterDefinition;
import dev.kiln.orchestration.template.ParameterGroup;
import dev.kiln.orchestration.template.schema.AttributeSchema;
import dev.kiln.orchestration.template.schema.Constraint;
import dev.kiln.orchestration.template.schema.PropertySchema;
import dev.kiln.orchestration.template.schema.PropertyType;
import dev.kiln.orchestration.template.schema.ResourceSchema;
import dev.kiln.orchestration.template.schema.SupportStatus;
import dev.kiln.common.ServiceException;
import dev.kiln.testing.Api;
import io.helidon.webserver.WebServer;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The API's translation, over real HTTP, against a hand-written service: what each request becomes
 * as a service call, and what each answer looks like in Heat's JSON, links, codes and fault bodies.
 * The end-to-end proof with the real engine and heatclient is {@code OrchestrationCliTest}.
 */
class OrchestrationApiTest {
  private static final String P1 = "p1";
  private static final String STACK_ID = "aaaaaaaa-0000-0000-0000-000000000001";
  private static final FakeOrchestration service = new FakeOrchestration();
  private static WebServer server;
  private static Api member;
  private static Api reader;
  private static Api admin;
  private static Api other;
  private static String base;

  @BeforeAll
  static void start() {
    Map<String, Caller> tokens = Map.of(
        "member", caller("u1", P1, Set.of("member", "reader")),
        "reader", caller("u2", P1, Set.of("reader")),
        "admin", caller("u3", "admin-project", Set.of("admin", "member", "reader")),
        "other", caller("u4", "p2", Set.of("member", "reader")));
    server = WebServer.builder().host("127.0.0.1").port(0)
        .routing(r -> r.register(OrchestrationApi.PREFIX,
            new OrchestrationApi(null, t -> Optional.ofNullable(tokens.get(t)), service)))
        .build().start();
    base = "http://127.0.0.1:" + server.port();
    Api anonymous = new Api(base);
    member = anonymous.withToken("member");
    reader = anonymous.withToken("reader");
    admin = anonymous.withToken("admin");
    other = anonymous.withToken("other");
  }

  @AfterAll
  static void stop() {
    server.stop();
  }

  @BeforeEach
  void reset() {
    service.stacks.clear();
    service.resources.clear();
    service.events.clear();
    service.types.clear();
    service.refusal = null;
    service.add(STACK_ID, "web", P1);
  }

  private static Caller caller(String user, String project, Set<String> roles) {
    return new Caller(user, user, "default", project, project, null, roles, Instant.MAX, AllowedRequests.ANY);
  }

  private static String heat(String path) {
    return "/heat-api/v1/" + P1 + path;
  }

  private static String stackUrl() {
    return base + heat("/stacks/web/" + STACK_ID);
  }

  @Test
  void createAnswers201WithLinkAndLocationAndPassesHeatsOptions() {
    Api.Response r = member.post(heat("/stacks"), """
        {"stack_name": "db", "template": {"heat_template_version": "2018-08-31"},
         "parameters": {"size": "3", "tags": ["x"]}, "files": {"f.yaml": "a: 1"},
         "environment": {"parameters": {"x": 1}}, "timeout_mins": "5", "disable_rollback": "false",
         "tags": "a,b", "unknown_option": 1}""");
    JsonNode body = r.expect(201);
    String url = base + heat("/stacks/db/11111111-2222-3333-4444-555555555555");
    assertThat(body.at("/stack/id").asText()).isEqualTo("11111111-2222-3333-4444-555555555555");
    assertThat(body.at("/stack/links/0/href").asText()).isEqualTo(url);
    assertThat(body.at("/stack/links/0/rel").asText()).isEqualTo("self");
    assertThat(r.header("Location")).isEqualTo(url);
    assertThat(service.lastCreate.name()).isEqualTo("db");
    assertThat(service.lastCreate.timeoutMins()).isEqualTo(5);
    assertThat(service.lastCreate.disableRollback()).isFalse();
    assertThat(service.lastCreate.tags()).containsExactly("a", "b");
    assertThat(service.lastCreate.parameters().get("size").asText()).isEqualTo("3");
    assertThat(service.lastCreate.template().files()).containsEntry("f.yaml", "a: 1");
    assertThat(service.lastCreate.template().environment().at("/parameters/x").asInt()).isEqualTo(1);
  }

  @Test
  void createDefaultsToDisabledRollbackAndTakesTemplateText() {
    member.post(heat("/stacks"), """
        {"stack_name": "db", "template": "heat_template_version: 2018-08-31\\n"}""").expect(201);
    assertThat(service.lastCreate.disableRollback()).isTrue();
    assertThat(service.lastCreate.timeoutMins()).isNull();
    assertThat(service.lastCreate.template().templateText()).startsWith("heat_template_version");
  }

  @Test
  void environmentFilesReplaceTheMergedEnvironment() {
    member.post(heat("/stacks"), """
        {"stack_name": "db", "template": {}, "files": {"env.yaml": "parameters: {}"},
         "environment_files": ["env.yaml"], "environment": {"parameters": {"x": 1}}}""").expect(201);
    assertThat(service.lastCreate.template().environmentFiles()).containsExactly("env.yaml");
    assertThat(service.lastCreate.template().environment()).isNull();
  }

  @Test
  void badCreateBodiesAre400InHeatsFaultBody() {
    JsonNode noName = member.post(heat("/stacks"), "{\"template\": {}}").expect(400);
    assertThat(noName.get("code").asInt()).isEqualTo(400);
    assertThat(noName.get("title").asText()).isEqualTo("Bad Request");
    assertThat(noName.get("explanation").asText()).contains("malformed");
    assertThat(noName.at("/error/type").asText()).isEqualTo("HTTPBadRequest");
    assertThat(noName.at("/error/message").asText()).isEqualTo("No stack name specified");
    assertThat(noName.at("/error/traceback").isNull()).isTrue();
    assertThat(member.post(heat("/stacks"), "{\"stack_name\": \"a\"}").expect(400).at("/error/message").asText())
        .isEqualTo("No template specified");
    assertThat(member.post(heat("/stacks"), "{\"stack_name\": \"a\", \"template\": {}, \"timeout_mins\": -1}")
        .expect(400).at("/error/message").asText())
        .isEqualTo("Value '-1' is invalid for 'timeout_mins' which only accepts non-negative integer.");
    assertThat(member.post(heat("/stacks"), "{\"stack_name\": \"a\", \"template\": {}, \"disable_rollback\": \"maybe\"}")
        .expect(400).at("/error/message").asText())
        .isEqualTo("Unrecognized value \"maybe\" for \"disable_rollback\", acceptable values are: true, false.");
    assertThat(member.post(heat("/stacks"), "{\"stack_name\": \"a\", \"template_url\": \"http://x/t.yaml\"}")
        .expect(400).at("/error/message").asText()).contains("does not fetch templates");
    JsonNode adopt = member.post(heat("/stacks"), "{\"stack_name\": \"a\", \"template\": {}, \"adopt_stack_data\": \"{}\"}")
        .expect(400);
    assertThat(adopt.at("/error/type").asText()).isEqualTo("NotSupported");
    assertThat(member.post(heat("/stacks"), "not json").expect(400).at("/error/type").asText())
        .isEqualTo("HTTPBadRequest");
  }

  @Test
  void serviceRefusalsKeepHeatsErrorType() {
    service.refusal = ServiceException.conflict("StackExists", "The Stack (db) already exists.");
    JsonNode body = member.post(heat("/stacks"), "{\"stack_name\": \"db\", \"template\": {}}").expect(409);
    assertThat(body.at("/error/type").asText()).isEqualTo("StackExists");
    assertThat(body.at("/error/message").asText()).isEqualTo("The Stack (db) already exists.");
    assertThat(body.get("title").asText()).isEqualTo("Conflict");
  }

  @Test
  void readerMayLookButNotCreate() {
    reader.get(heat("/stacks")).expect(200);
    JsonNode body = reader.post(heat("/stacks"), "{\"stack_name\": \"a\", \"template\": {}}").expect(403);
    assertThat(body.at("/error/type").asText()).isEqualTo("Forbidden");
    assertThat(body.at("/error/message").asText()).isEqualTo("You are not authorized to use create.");
  }

  @Test
  void anotherProjectsUrlIs403AndItsStacksAre404() {
    JsonNode body = other.get(heat("/stacks")).expect(403);
    assertThat(body.at("/error/type").asText()).isEqualTo("HTTPForbidden");
    other.get("/heat-api/v1/p2/stacks/web").expect(404);
    JsonNode missing = other.get("/heat-api/v1/p2/stacks/web/" + STACK_ID).expect(404);
    assertThat(missing.at("/error/type").asText()).isEqualTo("EntityNotFound");
    assertThat(missing.at("/error/message").asText()).isEqualTo("The Stack (web) could not be found.");
  }

  @Test
  void globalTenantIsForAdminsOnly() {
    JsonNode body = member.get(heat("/stacks?global_tenant=true")).expect(403);
    assertThat(body.at("/error/message").asText()).isEqualTo("You are not authorized to use global_index.");
    JsonNode all = admin.get("/heat-api/v1/admin-project/stacks?global_tenant=True").expect(200);
    assertThat(all.at("/stacks/0/project").asText()).isEqualTo(P1);
    assertThat(service.lastQuery.globalTenant()).isTrue();
  }

  @Test
  void listShowsHeatsSummaryFields() {
    JsonNode s = member.get(heat("/stacks")).expect(200).at("/stacks/0");
    assertThat(s.get("id").asText()).isEqualTo(STACK_ID);
    assertThat(s.at("/links/0/href").asText()).isEqualTo(stackUrl());
    assertThat(s.get("stack_name").asText()).isEqualTo("web");
    assertThat(s.get("stack_status").asText()).isEqualTo("CREATE_COMPLETE");
    assertThat(s.get("stack_status_reason").asText()).isEqualTo("Stack CREATE completed successfully");
    assertThat(s.get("creation_time").asText()).isEqualTo("2026-01-02T03:04:05Z");
    assertThat(s.get("updated_time").isNull()).isTrue();
    assertThat(s.get("deletion_time").isNull()).isTrue();
    assertThat(s.get("tags").isNull()).isTrue();
    assertThat(s.has("parent")).isTrue();
    assertThat(s.has("stack_owner")).isTrue();
    assertThat(s.has("project")).isFalse();
    assertThat(s.has("parameters")).isFalse();
  }

  @Test
  void listTranslatesFiltersSortPagingAndTags() {
    member.get(heat("/stacks?stack_name=a&name=b&status=CREATE_FAILED&sort_keys=stack_name"
        + "&sort_keys=bogus&sort_dir=asc&limit=2&marker=m&show_deleted=true&show_nested=True"
        + "&tags=x,y&not_tags_any=z&parent=pid&ignored=1")).expect(200);
    var q = service.lastQuery;
    assertThat(q.filters().get("name")).containsExactlyInAnyOrder("a", "b");
    assertThat(q.filters().get("status")).containsExactly("FAILED");
    assertThat(q.filters().get("action")).containsExactly("CREATE");
    assertThat(q.filters().get("owner_id")).containsExactly("pid");
    assertThat(q.sortKeys()).containsExactly("stack_name");
    assertThat(q.sortDir()).isEqualTo("asc");
    assertThat(q.limit()).isEqualTo(2);
    assertThat(q.marker()).isEqualTo("m");
    assertThat(q.showDeleted()).isTrue();
    assertThat(q.showNested()).isTrue();
    assertThat(q.tags()).containsExactly("x", "y");
    assertThat(q.notTagsAny()).containsExactly("z");
    assertThat(q.globalTenant()).isFalse();
  }

  @Test
  void fullPageLinksToTheNextAndWithCountCounts() {
    service.add("aaaaaaaa-0000-0000-0000-000000000002", "db", P1);
    service.count = 7;
    JsonNode body = member.get(heat("/stacks?limit=2&with_count=true")).expect(200);
    assertThat(body.at("/links/0/rel").asText()).isEqualTo("next");
    assertThat(body.at("/links/0/href").asText())
        .isEqualTo(base + heat("/stacks?limit=2&with_count=true&marker=aaaaaaaa-0000-0000-0000-000000000002"));
    assertThat(body.get("count").asInt()).isEqualTo(7);
    assertThat(member.get(heat("/stacks?limit=3")).expect(200).has("links")).isFalse();
  }

  @Test
  void badListParametersAre400() {
    assertThat(member.get(heat("/stacks?limit=x")).expect(400).at("/error/message").asText())
        .isEqualTo("Only integer is acceptable by 'limit'.");
    assertThat(member.get(heat("/stacks?show_deleted=yes")).expect(400).at("/error/message").asText())
        .contains("acceptable values are: true, false");
    member.get(heat("/stacks?sort_dir=up")).expect(400);
  }

  @Test
  void nameOrIdRedirectsToTheCanonicalUrlKeepingPathAndQuery() {
    Api.Response byName = member.get(heat("/stacks/web?resolve_outputs=false"));
    assertThat(byName.status()).isEqualTo(302);
    assertThat(byName.header("Location")).isEqualTo(stackUrl() + "?resolve_outputs=false");
    assertThat(member.get(heat("/stacks/" + STACK_ID)).header("Location")).isEqualTo(stackUrl());
    assertThat(member.get(heat("/stacks/web/resources")).header("Location")).isEqualTo(stackUrl() + "/resources");
    assertThat(member.get(heat("/stacks/web/events")).header("Location")).isEqualTo(stackUrl() + "/events");
    assertThat(member.delete(heat("/stacks/web")).header("Location")).isEqualTo(stackUrl());
    assertThat(member.post(heat("/stacks/web/actions"), "{\"check\": null}").header("Location"))
        .isEqualTo(stackUrl() + "/actions");
    assertThat(member.get(heat("/stacks/nope")).expect(404).at("/error/type").asText()).isEqualTo("EntityNotFound");
  }

  @Test
  void showHasHeatsFullStackWithOutputsUnlessAskedNot() {
    JsonNode s = member.get(heat("/stacks/web/" + STACK_ID)).expect(200).get("stack");
    assertThat(s.get("stack_name").asText()).isEqualTo("web");
    assertThat(s.get("template_description").asText()).isEqualTo("a stack");
    assertThat(s.get("parameters").get("OS::stack_name").asText()).isEqualTo("web");
    assertThat(s.get("capabilities").isArray()).isTrue();
    assertThat(s.get("notification_topics").isArray()).isTrue();
    assertThat(s.get("disable_rollback").asBoolean()).isTrue();
    assertThat(s.get("timeout_mins").isNull()).isTrue();
    assertThat(s.get("tags").isNull()).as("Heat shows a stack without tags as null").isTrue();
    assertThat(s.at("/outputs/0/output_key").asText()).isEqualTo("out");
    assertThat(s.at("/outputs/0/output_value").asText()).isEqualTo("v");
    assertThat(s.at("/outputs/0/description").asText()).isEqualTo("No description given");
    JsonNode without = member.get(heat("/stacks/web/" + STACK_ID + "?resolve_outputs=false")).expect(200);
    assertThat(without.at("/stack").has("outputs")).isFalse();
  }

  @Test
  void aNameThatIsNotTheStacksIs404() {
    member.get(heat("/stacks/other/" + STACK_ID)).expect(404);
    member.delete(heat("/stacks/other/" + STACK_ID)).expect(404);
  }

  @Test
  void deleteIs204() {
    assertThat(member.delete(heat("/stacks/web/" + STACK_ID)).status()).isEqualTo(204);
    assertThat(service.lastDeleted).isEqualTo(STACK_ID);
  }

  @Test
  void templateEnvironmentFilesAndOutputs() {
    assertThat(member.get(heat("/stacks/web/" + STACK_ID + "/template")).expect(200).get("heat_template_version").asText())
        .isEqualTo("2018-08-31");
    member.get(heat("/stacks/web/" + STACK_ID + "/environment")).expect(200);
    assertThat(member.get(heat("/stacks/web/" + STACK_ID + "/files")).expect(200).get("a.yaml").asText()).isEqualTo("x: 1");
    JsonNode outputs = member.get(heat("/stacks/web/" + STACK_ID + "/outputs")).expect(200);
    assertThat(outputs.at("/outputs/0/output_key").asText()).isEqualTo("out");
    assertThat(outputs.at("/outputs/0").has("output_value")).isFalse();
    JsonNode one = member.get(heat("/stacks/web/" + STACK_ID + "/outputs/out")).expect(200);
    assertThat(one.at("/output/output_value").asText()).isEqualTo("v");
    assertThat(member.get(heat("/stacks/web/" + STACK_ID + "/outputs/none")).expect(404).at("/error/message").asText())
        .isEqualTo("Specified output key none not found.");
  }

  @Test
  void updatesAnswer202AndAbandonAndSnapshotsAreHeatsNotSupported() {
    assertThat(member.put(heat("/stacks/web/" + STACK_ID), "{\"parameters\": {}}").expect(400).at("/error/message")
        .asText()).isEqualTo("No template specified");
    Api.Response put = member.put(heat("/stacks/web/" + STACK_ID),
        "{\"template\": {\"heat_template_version\": \"2018-08-31\"}, \"parameters\": {\"a\": \"b\"}}");
    assertThat(put.status()).isEqualTo(202);
    assertThat(service.lastUpdate.existing()).isFalse();
    assertThat(service.lastUpdate.parameters()).containsKey("a");
    Api.Response patch = member.patch(heat("/stacks/web/" + STACK_ID),
        "{\"parameters\": {\"a\": \"c\"}, \"clear_parameters\": [\"d\"]}");
    assertThat(patch.status()).isEqualTo(202);
    assertThat(service.lastUpdate.existing()).isTrue();
    assertThat(service.lastUpdate.template()).isNull();
    assertThat(service.lastUpdate.clearParameters()).containsExactly("d");
    assertThat(member.delete(heat("/stacks/web/" + STACK_ID + "/abandon")).expect(400).at("/error/message").asText())
        .isEqualTo("Stack Abandon is not supported.");
    member.post(heat("/stacks/web/" + STACK_ID + "/snapshots"), "{}").expect(400);
  }

  private static StackResource resource(String name, String nestedId) {
    return new StackResource(STACK_ID, "web", name, "phys-" + name, "OS::Heat::TestResource",
        StackAction.CREATE, StackStatus.COMPLETE, "state changed", "", List.of("b"), nestedId,
        JsonNodeFactory.instance.objectNode().put("output", "hi"), null, FakeOrchestration.T0, null);
  }

  @Test
  void resourcesListWithLinksAndTranslatedQuery() {
    service.add("aaaaaaaa-0000-0000-0000-00000000000n", "web-inner-x", P1);
    service.resources.add(resource("a", null));
    service.resources.add(resource("group", "aaaaaaaa-0000-0000-0000-00000000000n"));
    JsonNode list = member.get(heat("/stacks/web/" + STACK_ID + "/resources?nested_depth=2&type=OS::Heat::None&type=X"))
        .expect(200).get("resources");
    JsonNode a = list.get(0);
    assertThat(a.get("resource_name").asText()).isEqualTo("a");
    assertThat(a.get("logical_resource_id").asText()).isEqualTo("a");
    assertThat(a.get("physical_resource_id").asText()).isEqualTo("phys-a");
    assertThat(a.get("resource_status").asText()).isEqualTo("CREATE_COMPLETE");
    assertThat(a.get("updated_time").asText()).isEqualTo("2026-01-02T03:04:05Z");
    assertThat(a.get("required_by").get(0).asText()).isEqualTo("b");
    assertThat(a.at("/links/0/href").asText()).isEqualTo(stackUrl() + "/resources/a");
    assertThat(a.at("/links/1/href").asText()).isEqualTo(stackUrl());
    assertThat(a.at("/links/1/rel").asText()).isEqualTo("stack");
    assertThat(a.has("attributes")).isFalse();
    assertThat(list.get(1).at("/links/2/rel").asText()).isEqualTo("nested");
    assertThat(list.get(1).at("/links/2/href").asText())
        .isEqualTo(base + heat("/stacks/web-inner-x/aaaaaaaa-0000-0000-0000-00000000000n"));
    assertThat(service.lastResourceQuery.nestedDepth()).isEqualTo(2);
    assertThat(service.lastResourceQuery.withDetail()).isFalse();
    assertThat(service.lastResourceQuery.filters().get("type")).containsExactly("OS::Heat::None", "X");
    JsonNode detail = member.get(heat("/stacks/web/" + STACK_ID + "/resources?with_detail=true")).expect(200);
    assertThat(detail.at("/resources/0/attributes/output").asText()).isEqualTo("hi");
  }

  @Test
  void unknownResourceListParameterIs400() {
    assertThat(member.get(heat("/stacks/web/" + STACK_ID + "/resources?colour=red")).expect(400).at("/error/message").asText())
        .isEqualTo("Invalid filter parameters ['colour']");
  }

  @Test
  void resourceShowMetadataSignalAndMarkUnhealthy() {
    service.resources.add(resource("a", null));
    String a = heat("/stacks/web/" + STACK_ID + "/resources/a");
    JsonNode shown = member.get(a).expect(200).get("resource");
    assertThat(shown.at("/attributes/output").asText()).isEqualTo("hi");
    assertThat(shown.get("description").asText()).isEmpty();
    assertThat(member.get(a + "/metadata").expect(200).at("/metadata/k").asText()).isEqualTo("v");
    Api.Response signalled = member.post(a + "/signal", "{\"unset_hook\": \"pre-create\"}");
    assertThat(signalled.status()).isEqualTo(200);
    assertThat(signalled.body()).isEqualTo("null");
    assertThat(service.lastSignal.get("unset_hook").asText()).isEqualTo("pre-create");
    member.post(a + "/signal", null).expect(200);
    assertThat(service.lastSignal.isMissingNode()).isTrue();
    member.patch(a, "{\"mark_unhealthy\": \"true\", \"resource_status_reason\": \"gone\"}").expect(200);
    assertThat(service.lastUnhealthy).isEqualTo("a:true:gone");
    assertThat(member.patch(a, "{\"resource_status_reason\": \"x\"}").expect(400).at("/error/message").asText())
        .isEqualTo("Missing mandatory (mark_unhealthy) key from mark unhealthy request");
    assertThat(member.patch(a, "{\"mark_unhealthy\": true, \"x\": 1}").expect(400).at("/error/message").asText())
        .isEqualTo("Invalid keys in resource mark unhealthy {'x'}");
    assertThat(member.get(heat("/stacks/web/" + STACK_ID + "/resources/zz")).expect(404).at("/error/type").asText())
        .isEqualTo("EntityNotFound");
  }

  private static StackEvent event(String id, String resource, String stackId) {
    return new StackEvent(id, 1, stackId, "web", resource, "phys", "OS::Heat::None", StackAction.CREATE,
        StackStatus.IN_PROGRESS, "state changed", JsonNodeFactory.instance.objectNode().put("p", 1), FakeOrchestration.T0);
  }

  @Test
  void eventsListShowAndPerResource() {
    service.events.add(event("e1", "a", STACK_ID));
    service.events.add(event("e2", "web", STACK_ID));
    JsonNode list = member.get(heat("/stacks/web/" + STACK_ID + "/events?resource_status=COMPLETE&sort_keys=event_time"
        + "&sort_dir=desc&limit=5&marker=e0")).expect(200).get("events");
    JsonNode e1 = list.get(0);
    assertThat(e1.get("id").asText()).isEqualTo("e1");
    assertThat(e1.get("event_time").asText()).isEqualTo("2026-01-02T03:04:05Z");
    assertThat(e1.get("resource_status").asText()).isEqualTo("CREATE_IN_PROGRESS");
    assertThat(e1.get("logical_resource_id").asText()).isEqualTo("a");
    assertThat(e1.at("/links/0/href").asText()).isEqualTo(stackUrl() + "/resources/a/events/e1");
    assertThat(e1.at("/links/1/rel").asText()).isEqualTo("resource");
    assertThat(e1.at("/links/2/rel").asText()).isEqualTo("stack");
    assertThat(e1.has("resource_properties")).isFalse();
    assertThat(service.lastEventQuery.filters().get("resource_status")).containsExactly("COMPLETE");
    assertThat(service.lastEventQuery.sortKeys()).containsExactly("event_time");
    assertThat(service.lastEventQuery.limit()).isEqualTo(5);
    assertThat(service.lastEventQuery.marker()).isEqualTo("e0");
    JsonNode one = member.get(heat("/stacks/web/" + STACK_ID + "/resources/a/events/e1")).expect(200).get("event");
    assertThat(one.get("resource_type").asText()).isEqualTo("OS::Heat::None");
    assertThat(one.at("/resource_properties/p").asInt()).isEqualTo(1);
    assertThat(member.get(heat("/stacks/web/" + STACK_ID + "/resources/a/events")).expect(200).get("events")).hasSize(1);
    assertThat(member.get(heat("/stacks/web/" + STACK_ID + "/resources/zz/events")).expect(404).at("/error/message").asText())
        .isEqualTo("No events found for resource zz");
    JsonNode nested = member.get(heat("/stacks/web/" + STACK_ID + "/events?nested_depth=1")).expect(200);
    assertThat(nested.at("/events/0/links/3/rel").asText()).isEqualTo("root_stack");
  }

  @Test
  void actionsNeedExactlyOneKnownAction() {
    String actions = heat("/stacks/web/" + STACK_ID + "/actions");
    Api.Response ok = member.post(actions, "{\"suspend\": null}");
    assertThat(ok.status()).isEqualTo(200);
    assertThat(service.lastAction).isEqualTo(StackAction.SUSPEND);
    member.post(actions, "{\"check\": null}").expect(200);
    assertThat(service.lastAction).isEqualTo(StackAction.CHECK);
    assertThat(member.post(actions, "{}").expect(400).at("/error/message").asText()).isEqualTo("No action specified");
    assertThat(member.post(actions, "{\"a\": 1, \"b\": 2}").expect(400).at("/error/message").asText())
        .isEqualTo("Multiple actions specified");
    assertThat(member.post(actions, "{\"explode\": null}").expect(400).at("/error/message").asText())
        .isEqualTo("Invalid action explode specified");
    assertThat(member.post(actions, "{\"cancel_update\": null}").expect(400).at("/error/message").asText())
        .isEqualTo("Cancelling update when stack is CREATE_COMPLETE is not supported.");
    reader.post(actions, "{\"resume\": null}").expect(403);
  }

  @Test
  void validateAnswersHeatsParameterDescription() {
    Map<String, JsonNode> env = new LinkedHashMap<>();
    env.put("size", JsonNodeFactory.instance.textNode("4"));
    service.parsed = FakeOrchestration.parsed("demo",
        List.of(
            new ParameterDefinition("size", "number", null, "How many", JsonNodeFactory.instance.numberNode(1),
                false, false, List.of(new Constraint.Range(1.0, 10.0, "1 to 10"))),
            new ParameterDefinition("password", "string", "Secret", null, null, true, false,
                List.of(new Constraint.Length(8, null, null), new Constraint.AllowedPattern("[a-z]+", "lower")))),
        List.of(new ParameterGroup("g", null, List.of("size"))),
        new Environment(env, Map.of(), JsonNodeFactory.instance.objectNode(), null));
    JsonNode v = member.post(heat("/validate"), "{\"template\": {}, \"parameters\": {\"password\": \"abcdefgh\"}}").expect(200);
    assertThat(v.get("Description").asText()).isEqualTo("demo");
    JsonNode size = v.at("/Parameters/size");
    assertThat(size.get("Type").asText()).isEqualTo("Number");
    assertThat(size.get("Default").asInt()).isEqualTo(1);
    assertThat(size.get("MinValue").asText()).isEqualTo("1");
    assertThat(size.get("MaxValue").asText()).isEqualTo("10");
    assertThat(size.get("ConstraintDescription").asText()).isEqualTo("1 to 10");
    assertThat(size.get("Label").asText()).isEqualTo("size");
    assertThat(size.get("NoEcho").asText()).isEqualTo("false");
    assertThat(size.get("Value").asText()).isEqualTo("4");
    JsonNode password = v.at("/Parameters/password");
    assertThat(password.get("Type").asText()).isEqualTo("String");
    assertThat(password.get("NoEcho").asText()).isEqualTo("true");
    assertThat(password.get("MinLength").asInt()).isEqualTo(8);
    assertThat(password.get("AllowedPattern").asText()).isEqualTo("[a-z]+");
    assertThat(password.get("Label").asText()).isEqualTo("Secret");
    assertThat(v.at("/ParameterGroups/0/parameters/0").asText()).isEqualTo("size");
    assertThat(v.at("/Environment/resource_registry/resources").isObject()).isTrue();
    assertThat(v.at("/Environment/parameters/password").asText()).isEqualTo("abcdefgh");
    assertThat(v.at("/Environment/event_sinks").isArray()).isTrue();
    assertThat(service.lastValidatedParameters.get("password").asText()).isEqualTo("abcdefgh");
  }

  @Test
  void invalidTemplateIsAPlainBadRequestAsHeatsValidateAnswers() {
    service.refusal = ServiceException.invalid("StackValidationFailed", "Property error: resources.a.properties: bad");
    JsonNode body = member.post(heat("/validate"), "{\"template\": {}}").expect(400);
    assertThat(body.at("/error/type").asText()).isEqualTo("HTTPBadRequest");
    assertThat(body.at("/error/message").asText()).isEqualTo("Property error: resources.a.properties: bad");
  }

  @Test
  void templateVersionsAndFunctions() {
    JsonNode versions = member.get(heat("/template_versions")).expect(200).get("template_versions");
    assertThat(versions.get(1).get("version").asText()).isEqualTo("heat_template_version.2018-08-31");
    assertThat(versions.get(1).get("aliases").get(0).asText()).isEqualTo("heat_template_version.rocky");
    JsonNode functions = member.get(heat("/template_versions/heat_template_version.2018-08-31/functions"))
        .expect(200).get("template_functions");
    assertThat(functions).hasSize(2);
    assertThat(functions.get(1).get("functions").asText()).isEqualTo("get_file");
    assertThat(functions.get(1).get("description").asText()).isEqualTo("A function for including a file inline.");
    JsonNode withConditions = member.get(
        heat("/template_versions/heat_template_version.2018-08-31/functions?with_condition_func=true"))
        .expect(200).get("template_functions");
    assertThat(withConditions).hasSize(3);
    member.get(heat("/template_versions/nope/functions")).expect(404);
  }

  private static ResourceSchema testResourceType() {
    Map<String, PropertySchema> props = new LinkedHashMap<>();
    props.put("value", new PropertySchema(PropertyType.STRING, "The input string", false,
        JsonNodeFactory.instance.textNode("test_string"), true, false,
        List.of(new Constraint.Length(1, 255, null)), Map.of(), null, SupportStatus.SUPPORTED));
    props.put("wait_secs", new PropertySchema(PropertyType.NUMBER, "Seconds", false,
        JsonNodeFactory.instance.numberNode(0), true, false, List.of(), Map.of(), null, SupportStatus.SUPPORTED));
    props.put("items", new PropertySchema(PropertyType.LIST, null, false, null, false, true, List.of(), Map.of(),
        new PropertySchema(PropertyType.STRING, null, false, null, false, false, List.of(), Map.of(), null, null),
        SupportStatus.SUPPORTED));
    props.put("secret", new PropertySchema(PropertyType.STRING, null, false, null, false, false, List.of(), Map.of(),
        null, new SupportStatus("HIDDEN", null, null)));
    return new ResourceSchema("OS::Heat::TestResource", "A test resource.",
        new SupportStatus("SUPPORTED", "5.0.0", null), props,
        Map.of("output", new AttributeSchema("The string that was stored.", "string", SupportStatus.SUPPORTED)));
  }

  @Test
  void resourceTypesListFiltersAndDescribes() {
    service.types.add(testResourceType());
    service.types.add(new ResourceSchema("OS::Heat::None", null, SupportStatus.SUPPORTED, Map.of(), Map.of()));
    assertThat(member.get(heat("/resource_types")).expect(200).get("resource_types")).hasSize(2);
    JsonNode byName = member.get(heat("/resource_types?name=OS::Heat::T")).expect(200).get("resource_types");
    assertThat(byName).hasSize(1);
    assertThat(byName.get(0).asText()).isEqualTo("OS::Heat::TestResource");
    assertThat(member.get(heat("/resource_types?version=5.0.0")).expect(200).get("resource_types")).hasSize(1);
    JsonNode described = member.get(heat("/resource_types?with_description=true&name=OS::Heat::None"))
        .expect(200).get("resource_types");
    assertThat(described.get(0).get("description").asText()).isEqualTo("No description given");
    assertThat(member.get(heat("/resource_types?support_status=GREAT")).expect(400).at("/error/message").asText())
        .startsWith("Data supplied was not valid: Invalid support status");
    assertThat(member.get(heat("/resource_types?name=(")).expect(200).get("resource_types")).isEmpty();
  }

  @Test
  void resourceTypeSchemaHasHeatsPropertyShape() {
    service.types.add(testResourceType());
    JsonNode t = member.get(heat("/resource_types/OS::Heat::TestResource")).expect(200);
    assertThat(t.get("resource_type").asText()).isEqualTo("OS::Heat::TestResource");
    assertThat(t.at("/support_status/status").asText()).isEqualTo("SUPPORTED");
    assertThat(t.at("/support_status/version").asText()).isEqualTo("5.0.0");
    JsonNode value = t.at("/properties/value");
    assertThat(value.get("type").asText()).isEqualTo("string");
    assertThat(value.get("default").asText()).isEqualTo("test_string");
    assertThat(value.get("required").asBoolean()).isFalse();
    assertThat(value.get("update_allowed").asBoolean()).isTrue();
    assertThat(value.get("immutable").asBoolean()).isFalse();
    assertThat(value.at("/constraints/0/length/min").asInt()).isEqualTo(1);
    assertThat(value.at("/constraints/0/length/max").asInt()).isEqualTo(255);
    assertThat(t.at("/properties/wait_secs/default").asInt()).isEqualTo(0);
    assertThat(t.at("/properties/items/schema/*/type").asText()).isEqualTo("string");
    assertThat(t.at("/properties").has("secret")).isFalse();
    assertThat(t.at("/attributes/output/type").asText()).isEqualTo("string");
    assertThat(member.get(heat("/resource_types/OS::Nope")).expect(404).at("/error/type").asText())
        .isEqualTo("EntityNotFound");
  }

  @Test
  void resourceTypeTemplateInHotAndCfn() {
    service.types.add(testResourceType());
    JsonNode hot = member.get(heat("/resource_types/OS::Heat::TestResource/template?template_type=hot")).expect(200);
    assertThat(hot.get("heat_template_version").asText()).isEqualTo("2016-10-14");
    assertThat(hot.at("/resources/TestResource/type").asText()).isEqualTo("OS::Heat::TestResource");
    assertThat(hot.at("/resources/TestResource/properties/value/get_param").asText()).isEqualTo("value");
    assertThat(hot.at("/parameters/items/type").asText()).isEqualTo("comma_delimited_list");
    assertThat(hot.at("/parameters/value/constraints/0/length/max").asInt()).isEqualTo(255);
    assertThat(hot.at("/outputs/output/value/get_attr/1").asText()).isEqualTo("output");
    assertThat(hot.at("/outputs/OS::stack_id/value/get_resource").asText()).isEqualTo("TestResource");
    JsonNode cfn = member.get(heat("/resource_types/OS::Heat::TestResource/template")).expect(200);
    assertThat(cfn.get("HeatTemplateFormatVersion").asText()).isEqualTo("2012-12-12");
    assertThat(cfn.at("/Parameters/wait_secs/Type").asText()).isEqualTo("Number");
    assertThat(cfn.at("/Resources/TestResource/Properties/items/Fn::Split/0").asText()).isEqualTo(",");
    assertThat(member.get(heat("/resource_types/OS::Heat::TestResource/template?template_type=xml"))
        .expect(400).at("/error/message").asText())
        .isEqualTo("Template type is not supported: Invalid template type \"xml\", valid types are: cfn, hot.");
  }

  @Test
  void buildInfoAndVersions() {
    JsonNode info = member.get(heat("/build_info")).expect(200);
    assertThat(info.at("/api/revision").asText()).isNotEmpty();
    assertThat(info.at("/engine/revision").asText()).isNotEmpty();
    Api.Response versions = new Api(base).get("/heat-api/");
    assertThat(versions.status()).isEqualTo(300);
    assertThat(versions.json().at("/versions/0/links/0/href").asText()).isEqualTo(base + "/heat-api/v1/");
  }

  @Test
  void missingTokenIs401AndUnknownPathIs404InHeatsBody() {
    JsonNode unauthenticated = new Api(base).get(heat("/stacks")).expect(401);
    assertThat(unauthenticated.get("title").asText()).isEqualTo("Unauthorized");
    assertThat(unauthenticated.at("/error/type").asText()).isNotEmpty();
    JsonNode missing = member.get(heat("/nothing-here")).expect(404);
    assertThat(missing.get("explanation").asText()).isEqualTo("The resource could not be found.");
  }

  @Test
  void previewShowsTheStackAndItsResourcesInTheEnginesShape() {
    service.resources.add(resource("a", null));
    JsonNode s = member.post(heat("/stacks/preview"), "{\"stack_name\": \"pv\", \"template\": {}}").expect(200).get("stack");
    assertThat(s.get("id").asText()).isEqualTo("None");
    assertThat(s.get("stack_name").asText()).isEqualTo("pv");
    assertThat(s.has("stack_status")).isFalse();
    assertThat(s.at("/resources/0/resource_name").asText()).isEqualTo("a");
    assertThat(s.at("/resources/0/resource_action").asText()).isEqualTo("CREATE");
    assertThat(s.at("/resources/0/resource_identity/path").asText()).isEqualTo("/resources/a");
    assertThat(s.at("/resources/0/stack_identity/stack_name").asText()).isEqualTo("pv");
  }
}
