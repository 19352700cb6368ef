package dev.kiln.orchestration.engine;

import static dev.kiln.orchestration.engine.EngineHarness.ADMIN;
import static dev.kiln.orchestration.engine.EngineHarness.ALICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.kiln.common.ServiceException;
import dev.kiln.orchestration.ResourceTypePolicy;
import dev.kiln.orchestration.Stack;
import dev.kiln.orchestration.StackRequest;
import dev.kiln.orchestration.StackUpdate;
import dev.kiln.orchestration.template.TemplateSource;
import dev.kiln.store.Database;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Heat's resource_types policy: a non-admin's create, preview, update (and its preview) and
 * validate of a template naming an admin-only type answer 403 before anything is stored, whatever
 * the environment maps the type to; an admin's pass.
 */
class AdminOnlyTypesTest {
  private static final JsonMapper J = new JsonMapper();
  private static final String FLAVOR =
      """
      heat_template_version: 2018-08-31
      resources:
        small:
          type: OS::Nova::Flavor
        other:
          type: OS::Heat::None
      """;
  private static final String NONE =
      """
      heat_template_version: 2018-08-31
      resources:
        other:
          type: OS::Heat::None
      """;

  private final EngineHarness engine = new EngineHarness(Database.inMemory("heat-" + UUID.randomUUID()));

  @AfterEach
  void tearDown() {
    engine.close();
  }

  /** The type is mapped to OS::Heat::None, so the template parses without the compute types. */
  private static TemplateSource mapped(String yaml) {
    JsonNode environment = J.createObjectNode().set("resource_registry",
        J.createObjectNode().put("OS::Nova::Flavor", "OS::Heat::None"));
    return new TemplateSource(null, yaml, Map.of(), environment, List.of());
  }

  private static StackRequest request(String name, String yaml) {
    return new StackRequest(name, mapped(yaml), Map.of(), null, true, List.of());
  }

  private static void refused(ThrowingCallable call) {
    assertThatThrownBy(call).isInstanceOfSatisfying(ServiceException.class, e -> {
      assertThat(e.kind()).isEqualTo(ServiceException.Kind.FORBIDDEN);
      assertThat(e.type()).isEqualTo("Forbidden");
      assertThat(e.getMessage()).isEqualTo("You are not authorized to use OS::Nova::Flavor.");
    });
  }

  @Test
  void aMembersCreatePreviewAndValidateOfAnAdminOnlyTypeAre403AndStoreNothing() {
    refused(() -> engine.heat.create(ALICE, request("flavors", FLAVOR)));
    refused(() -> engine.heat.preview(ALICE, request("flavors", FLAVOR)));
    refused(() -> engine.heat.validate(ALICE, mapped(FLAVOR), Map.of()));

    assertThatThrownBy(() -> engine.heat.find(ALICE, "flavors")).isInstanceOf(ServiceException.class);
  }

  @Test
  void aMembersUpdateThatAddsAnAdminOnlyTypeIs403AndLeavesTheStackAsItWas() {
    Stack stack = engine.heat.create(ALICE, request("growing", NONE));
    engine.awaitStatus(ALICE, stack.id(), "CREATE_COMPLETE");
    StackUpdate update = new StackUpdate(mapped(FLAVOR), Map.of(), false, List.of(), null, null, null);

    refused(() -> engine.heat.update(ALICE, stack.id(), update));
    refused(() -> engine.heat.previewUpdate(ALICE, stack.id(), update, false));

    assertThat(engine.heat.find(ALICE, stack.id()).stackStatus()).isEqualTo("CREATE_COMPLETE");
    assertThat(engine.resources(ALICE, stack.id())).hasSize(1);
  }

  @Test
  void anAdminMayUseThem() {
    Stack stack = engine.heat.create(ADMIN, request("admins", FLAVOR));
    engine.awaitStatus(ADMIN, stack.id(), "CREATE_COMPLETE");
  }

  @Test
  void thePolicyNamesHeatsTypesAndTheKeystoneFamily() {
    assertThat(ResourceTypePolicy.allowed(ALICE, "OS::Keystone::Project")).isFalse();
    assertThat(ResourceTypePolicy.allowed(ALICE, "OS::Keystone::UserRoleAssignment")).isFalse();
    assertThat(ResourceTypePolicy.allowed(ALICE, "OS::Neutron::ProviderNet")).isFalse();
    assertThat(ResourceTypePolicy.allowed(ALICE, "OS::Cinder::VolumeType")).isFalse();
    assertThat(ResourceTypePolicy.allowed(ALICE, "OS::Neutron::Net")).isTrue();
    assertThat(ResourceTypePolicy.allowed(ALICE, "OS::Nova::Server")).isTrue();
    assertThat(ResourceTypePolicy.allowed(ADMIN, "OS::Keystone::Project")).isTrue();
  }
}
