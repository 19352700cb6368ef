package dev.kiln.orchestration.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Await;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.OpenStackCli;
import dev.kiln.testing.Tenant;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Orchestration driven by Debian's real {@code openstack} (python3-heatclient's plugin) as a member
 * of a project: templates validated, stacks created, shown, listed and deleted, outputs, resources,
 * events, hooks, actions, resource types and template versions — the commands Heat users type.
 */
class OrchestrationCliTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  @TempDir static Path dir;
  private static OpenStackCli cli;
  private static OpenStackCli stranger;

  private static final String TEMPLATE =
      """
      heat_template_version: 2018-08-31
      description: Two resources and an output
      parameters:
        length:
          type: number
          default: 8
          constraints:
            - range: {min: 4, max: 32}
              description: between 4 and 32
      resources:
        secret:
          type: OS::Heat::RandomString
          properties:
            length: {get_param: length}
        marker:
          type: OS::Heat::TestResource
          properties:
            value: {get_attr: [secret, value]}
      outputs:
        secret_value:
          description: the random string
          value: {get_attr: [secret, value]}
        echoed:
          value: {get_attr: [marker, output]}
      """;

  @BeforeAll
  static void users() throws IOException {
    Tenant member = Tenant.create(kiln, kiln.admin(), "heat-cli", "heat-cli-user");
    cli = member.cli(kiln.authUrl());
    Tenant other = Tenant.create(kiln, kiln.admin(), "heat-other", "heat-other-user");
    stranger = other.cli(kiln.authUrl());
    Files.writeString(dir.resolve("two.yaml"), TEMPLATE);
  }

  private static String file(String name, String content) throws IOException {
    Path path = dir.resolve(name);
    Files.writeString(path, content);
    return path.toString();
  }

  @Test
  void createShowOutputsResourcesEventsAndDelete() {
    // With --wait the client prints the stack's events as they come, then the stack.
    String waited =
        cli.ok("stack", "create", "-t", dir.resolve("two.yaml").toString(), "--parameter", "length=12",
            "--tag", "cli,demo", "--wait", "cli-two");
    assertThat(waited).contains("[cli-two]: CREATE_IN_PROGRESS").contains("[cli-two]: CREATE_COMPLETE");
    String id = cli.json("stack", "show", "cli-two").get("id").asText();

    assertThat(cli.json("stack", "list").findValuesAsText("Stack Name")).contains("cli-two");
    assertThat(cli.json("stack", "list", "--tags", "demo").findValuesAsText("ID")).contains(id);

    JsonNode shown = cli.json("stack", "show", "cli-two");
    assertThat(shown.get("id").asText()).isEqualTo(id);
    assertThat(shown.get("stack_status").asText()).isEqualTo("CREATE_COMPLETE");
    assertThat(shown.get("parameters").get("length").asText()).isEqualTo("12");
    assertThat(shown.get("parameters").get("OS::stack_name").asText()).isEqualTo("cli-two");
    assertThat(shown.get("outputs").toString()).contains("secret_value");

    JsonNode output = cli.json("stack", "output", "show", "cli-two", "secret_value");
    String secret = output.get("output_value").asText();
    assertThat(secret).hasSize(12);
    assertThat(cli.json("stack", "output", "show", "cli-two", "echoed").get("output_value").asText())
        .isEqualTo(secret);
    assertThat(cli.json("stack", "output", "list", "cli-two").findValuesAsText("output_key"))
        .containsExactlyInAnyOrder("secret_value", "echoed");

    JsonNode resources = cli.json("stack", "resource", "list", "cli-two");
    assertThat(resources.findValuesAsText("resource_name")).containsExactlyInAnyOrder("secret", "marker");
    assertThat(resources.findValuesAsText("resource_status")).containsOnly("CREATE_COMPLETE");
    JsonNode marker = cli.json("stack", "resource", "show", "cli-two", "marker");
    assertThat(marker.get("resource_type").asText()).isEqualTo("OS::Heat::TestResource");
    assertThat(marker.get("attributes").get("output").asText()).isEqualTo(secret);

    JsonNode events = cli.json("stack", "event", "list", "cli-two");
    assertThat(events.findValuesAsText("resource_name")).contains("secret", "marker", "cli-two");
    assertThat(events.findValuesAsText("resource_status")).contains("CREATE_IN_PROGRESS", "CREATE_COMPLETE");
    JsonNode secretEvents = cli.json("stack", "event", "list", "cli-two", "--resource", "secret");
    assertThat(secretEvents.findValuesAsText("resource_name")).containsOnly("secret");
    String eventId = secretEvents.get(0).get("id").asText();
    JsonNode event = cli.json("stack", "event", "show", "cli-two", "secret", eventId);
    assertThat(event.get("resource_type").asText()).isEqualTo("OS::Heat::RandomString");

    assertThat(cli.ok("stack", "template", "show", "cli-two")).contains("OS::Heat::RandomString");

    assertThat(stranger.run("stack", "show", "cli-two").exitCode()).isNotZero();
    assertThat(stranger.json("stack", "list").findValuesAsText("ID")).doesNotContain(id);

    cli.ok("stack", "delete", "--yes", "--wait", "cli-two");
    OpenStackCli.Result gone = cli.run("stack", "show", "cli-two");
    assertThat(gone.exitCode()).isNotZero();
    assertThat(gone.stderr() + gone.stdout()).contains("cli-two");
  }

  @Test
  void validateReportsParametersAndRefusesBadTemplatesByName() throws IOException {
    JsonNode valid =
        cli.json("orchestration", "template", "validate", "-t", dir.resolve("two.yaml").toString());
    assertThat(valid.get("Description").asText()).isEqualTo("Two resources and an output");
    JsonNode length = valid.get("Parameters").get("length");
    assertThat(length.get("Type").asText()).isEqualTo("Number");
    assertThat(length.get("Default").asInt()).isEqualTo(8);
    assertThat(length.get("MinValue").asInt()).isEqualTo(4);

    String bad = file("bad.yaml", """
        heat_template_version: 2018-08-31
        resources:
          a:
            type: OS::Heat::None
            depends_on: [nowhere]
        """);
    OpenStackCli.Result refused = cli.run("orchestration", "template", "validate", "-t", bad);
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.stderr()).contains("nowhere");

    OpenStackCli.Result createRefused = cli.run("stack", "create", "-t", bad, "never");
    assertThat(createRefused.exitCode()).isNotZero();
    assertThat(createRefused.stderr()).contains("nowhere");
    assertThat(cli.json("stack", "list").findValuesAsText("Stack Name")).doesNotContain("never");
  }

  @Test
  void aHookPausesAResourceUntilCleared() throws IOException {
    String env = file("hooks.yaml", """
        resource_registry:
          resources:
            held:
              hooks: pre-create
        """);
    String template = file("hooked.yaml", """
        heat_template_version: 2018-08-31
        resources:
          held:
            type: OS::Heat::None
          after:
            type: OS::Heat::None
            depends_on: [held]
        """);
    cli.json("stack", "create", "-t", template, "-e", env, "cli-hooked");
    // Heat records the pause as an event of the resource, which 'hook poll' looks for.
    String reasons =
        Await.value(
            () -> cli.json("stack", "event", "list", "cli-hooked", "--resource", "held").findValuesAsText("resource_status_reason").toString(),
            r -> r.contains("paused until Hook pre-create is cleared"));
    assertThat(reasons).contains("CREATE paused until Hook pre-create is cleared");
    assertThat(cli.json("stack", "resource", "show", "cli-hooked", "held").get("resource_status").asText())
        .isEqualTo("INIT_COMPLETE");
    assertThat(cli.ok("stack", "hook", "poll", "cli-hooked")).contains("held");
    assertThat(cli.json("stack", "show", "cli-hooked").get("stack_status").asText()).isEqualTo("CREATE_IN_PROGRESS");

    cli.ok("stack", "hook", "clear", "--pre-create", "cli-hooked", "held");
    String status =
        Await.value(() -> cli.json("stack", "show", "cli-hooked").get("stack_status").asText(),
            s -> !s.endsWith("IN_PROGRESS"));
    assertThat(status).isEqualTo("CREATE_COMPLETE");
    cli.ok("stack", "delete", "--yes", "--wait", "cli-hooked");
  }

  @Test
  void hooksInsideANestedStackArePolledWithNestedDepthAndClearedByPath() throws IOException {
    file("inner.yaml", """
        heat_template_version: 2018-08-31
        resources:
          first_step:
            type: OS::Heat::None
          second_step:
            type: OS::Heat::None
            depends_on: [first_step]
        """);
    String template = file("outer.yaml", """
        heat_template_version: 2018-08-31
        resources:
          inner:
            type: inner.yaml
        """);
    // A registry entry under the nested resource's name, with a wildcard resource name inside it.
    String env = file("nested-hooks.yaml", """
        resource_registry:
          resources:
            inner:
              "*_step":
                hooks: pre-create
        """);
    cli.json("stack", "create", "-t", template, "-e", env, "cli-nested-hooks");
    String polled =
        Await.value(() -> cli.ok("stack", "hook", "poll", "cli-nested-hooks", "--nested-depth", "1", "-f", "json"),
            out -> out.contains("first_step"));
    assertThat(polled).doesNotContain("second_step");
    // Not started yet, and listed as Heat lists it: every resource row exists from the start.
    String nested = cli.json("stack", "resource", "show", "cli-nested-hooks", "inner").get("physical_resource_id").asText();
    assertThat(cli.json("stack", "resource", "list", nested).toString()).contains("second_step").contains("INIT_COMPLETE");
    assertThat(cli.ok("stack", "hook", "poll", "cli-nested-hooks")).doesNotContain("first_step");

    cli.ok("stack", "hook", "clear", "cli-nested-hooks", "inner/first_*");
    polled =
        Await.value(() -> cli.ok("stack", "hook", "poll", "cli-nested-hooks", "--nested-depth", "1", "-f", "json"),
            out -> out.contains("second_step"));
    assertThat(polled).doesNotContain("first_step");
    cli.ok("stack", "hook", "clear", "--pre-create", "cli-nested-hooks", "in*/second_step");

    String status =
        Await.value(() -> cli.json("stack", "show", "cli-nested-hooks").get("stack_status").asText(),
            s -> !s.endsWith("IN_PROGRESS"));
    assertThat(status).isEqualTo("CREATE_COMPLETE");
    cli.ok("stack", "delete", "--yes", "--wait", "cli-nested-hooks");
  }

  @Test
  void suspendResumeAndCheck() {
    cli.ok("stack", "create", "-t", dir.resolve("two.yaml").toString(), "--wait", "cli-actions");
    cli.ok("stack", "suspend", "--wait", "cli-actions");
    assertThat(cli.json("stack", "show", "cli-actions").get("stack_status").asText()).isEqualTo("SUSPEND_COMPLETE");
    cli.ok("stack", "resume", "--wait", "cli-actions");
    assertThat(cli.json("stack", "show", "cli-actions").get("stack_status").asText()).isEqualTo("RESUME_COMPLETE");
    cli.ok("stack", "check", "--wait", "cli-actions");
    assertThat(cli.json("stack", "show", "cli-actions").get("stack_status").asText()).isEqualTo("CHECK_COMPLETE");
    cli.ok("stack", "delete", "--yes", "--wait", "cli-actions");
  }

  @Test
  void dryRunPreviewsWithoutCreating() {
    JsonNode preview = cli.json("stack", "create", "--dry-run", "-t", dir.resolve("two.yaml").toString(), "cli-preview");
    assertThat(preview.toString()).contains("secret").contains("marker");
    assertThat(cli.json("stack", "list").findValuesAsText("Stack Name")).doesNotContain("cli-preview");
  }

  @Test
  void resourceTypesAndTemplateVersions() {
    JsonNode types = cli.json("orchestration", "resource", "type", "list");
    assertThat(types.findValuesAsText("Resource Type"))
        .contains("OS::Heat::None", "OS::Heat::TestResource", "OS::Heat::RandomString");
    JsonNode filtered = cli.json("orchestration", "resource", "type", "list", "--filter", "name=OS::Heat::Random");
    // Heat matches the name as a regular expression from the start, as Python's re.match does.
    assertThat(filtered.findValuesAsText("Resource Type")).containsExactly("OS::Heat::RandomString");
    assertThat(cli.json("orchestration", "resource", "type", "list", "--filter", "name=Random")).isEmpty();

    JsonNode schema = cli.json("orchestration", "resource", "type", "show", "OS::Heat::RandomString");
    assertThat(schema.get("resource_type").asText()).isEqualTo("OS::Heat::RandomString");
    assertThat(schema.at("/properties/length/type").asText()).isEqualTo("integer");
    assertThat(schema.at("/attributes/value").isObject()).isTrue();
    JsonNode hot = cli.json("orchestration", "resource", "type", "show", "--template-type", "hot", "OS::Heat::RandomString");
    assertThat(hot.at("/resources/RandomString/type").asText()).isEqualTo("OS::Heat::RandomString");

    JsonNode versions = cli.json("orchestration", "template", "version", "list");
    assertThat(versions.findValuesAsText("Version"))
        .contains("heat_template_version.2018-08-31", "AWSTemplateFormatVersion.2010-09-09");
    JsonNode functions =
        cli.json("orchestration", "template", "function", "list", "heat_template_version.2016-10-14");
    assertThat(functions.findValuesAsText("Functions")).contains("get_param", "get_attr", "yaql");
  }

  @Test
  void onlyAdminsListEveryProjectsStacks() {
    cli.ok("stack", "create", "-t", dir.resolve("two.yaml").toString(), "--wait", "cli-global");
    OpenStackCli admin = kiln.adminCli();
    assertThat(admin.json("stack", "list", "--all-projects").findValuesAsText("Stack Name")).contains("cli-global");
    // The older heat client asks the same way (global_tenant=True) and shows each stack's project.
    assertThat(admin.heatOk("stack-list", "--global-tenant")).contains("cli-global").contains("project");
    OpenStackCli.Result refused = cli.run("stack", "list", "--all-projects");
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.stderr()).contains("global_index");
    cli.ok("stack", "delete", "--yes", "--wait", "cli-global");
  }

  @Test
  void deletingAStackWhoseCreateWaitsOnASlowResourceCancelsTheCreateAndDeletesEverything() throws IOException {
    String template = file("slow.yaml", """
        heat_template_version: 2018-08-31
        resources:
          net:
            type: OS::Neutron::Net
          slow:
            type: OS::Heat::TestResource
            # Only the create is slow: the delete reads the properties stored as the create began
            # (as Heat's does), and wait_secs would slow it as much.
            properties: {action_wait_secs: {create: 600}}
        """);
    cli.ok("stack", "create", "-t", template, "cli-slow");
    Await.until(() -> {
      JsonNode resources = cli.json("stack", "resource", "list", "cli-slow");
      return resources.toString().contains("CREATE_COMPLETE") && resources.toString().contains("CREATE_IN_PROGRESS");
    }, java.time.Duration.ofSeconds(60), "the network made and the slow resource waiting");
    String netId = cli.json("stack", "resource", "show", "cli-slow", "net").get("physical_resource_id").asText();

    String deleted = cli.ok("stack", "delete", "--yes", "--wait", "cli-slow");

    assertThat(deleted).doesNotContain("409");
    assertThat(cli.run("stack", "show", "cli-slow").exitCode()).isNotZero();
    assertThat(cli.run("network", "show", netId).exitCode()).isNotZero();
  }

  @Test
  void buildInfoAnswers() {
    assertThat(cli.json("orchestration", "build", "info").toString()).contains("revision");
  }
}
