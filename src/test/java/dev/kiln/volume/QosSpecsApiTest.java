package dev.kiln.volume;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.Race;
import dev.kiln.testing.TempestSchemas;
import dev.kiln.testing.Tenant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Cinder's QoS specs over HTTP: shapes, keys, associations with types, in-use deletes, policy. */
class QosSpecsApiTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static Api admin;
  private static Api member;
  private static String base;
  private static String memberBase;

  @BeforeAll
  static void start() {
    Tenant operator = Tenant.admin(kiln);
    admin = operator.api();
    base = "/volume/v3/" + operator.projectId();
    Tenant tenant = Tenant.create(kiln, admin, "qos-tenant", "qos-user");
    member = tenant.api();
    memberBase = "/volume/v3/" + tenant.projectId();
  }

  private static JsonNode createQos(String body) {
    return admin.post(base + "/qos-specs", body).expect(200);
  }

  private static String newType(String name) {
    return admin.post(base + "/types", "{\"volume_type\": {\"name\": \"" + name + "\"}}").expect(200)
        .at("/volume_type/id").asText();
  }

  @Test
  void createShowListAndDeleteAsCinderAnswers() {
    JsonNode made = createQos("{\"qos_specs\": {\"name\": \" gold \", \"consumer\": \"front-end\", \"read_iops_sec\": \"2000\"}}");
    JsonNode q = made.get("qos_specs");
    String id = q.get("id").asText();
    assertThat(q.get("name").asText()).as("the name is stripped").isEqualTo("gold");
    assertThat(q.get("consumer").asText()).isEqualTo("front-end");
    assertThat(q.get("specs").toString()).isEqualTo("{\"read_iops_sec\":\"2000\"}");
    assertThat(made.get("links").get(0).get("href").asText()).endsWith("/qos-specs/" + id);

    assertThat(admin.get(base + "/qos-specs/" + id).expect(200).get("qos_specs")).isEqualTo(q);
    assertThat(admin.get(base + "/qos-specs").expect(200).get("qos_specs")).contains(q);
    assertThat(admin.get(base + "/qos-specs?consumer=back-end").expect(200).get("qos_specs")).doesNotContain(q);

    Api.Response taken = admin.post(base + "/qos-specs", "{\"qos_specs\": {\"name\": \"gold\"}}");
    assertThat(taken.status()).isEqualTo(409);
    assertThat(taken.json().at("/conflictingRequest/message").asText()).isEqualTo("QoS Specs gold already exists.");

    admin.delete(base + "/qos-specs/" + id).expect(202);
    Api.Response gone = admin.get(base + "/qos-specs/" + id);
    assertThat(gone.status()).isEqualTo(404);
    assertThat(gone.json().at("/itemNotFound/message").asText()).isEqualTo("No such QoS spec " + id + ".");
  }

  @Test
  void consumerDefaultsToBackEndAndMustBeOneOfCinders() {
    JsonNode q = createQos("{\"qos_specs\": {\"name\": \"plain\"}}").get("qos_specs");
    assertThat(q.get("consumer").asText()).isEqualTo("back-end");
    assertThat(q.get("specs").size()).isZero();
    Api.Response bad = admin.post(base + "/qos-specs", "{\"qos_specs\": {\"name\": \"odd\", \"consumer\": \"middle\"}}");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().at("/badRequest/message").asText()).contains("Valid consumer of QoS specs are");
    assertThat(admin.post(base + "/qos-specs", "{\"qos_specs\": {\"consumer\": \"both\"}}").status())
        .as("a name is required").isEqualTo(400);
    assertThat(admin.get(base + "/qos-specs?name=odd").expect(200).get("qos_specs").size()).isZero();
  }

  @Test
  void settingAndUnsettingKeys() {
    String id = createQos("{\"qos_specs\": {\"name\": \"keys\", \"total_iops_sec\": \"100\"}}").at("/qos_specs/id").asText();
    JsonNode set = admin.put(base + "/qos-specs/" + id, "{\"qos_specs\": {\"iops_bytes\": \"500\", \"consumer\": \"both\"}}").expect(200);
    assertThat(set.toString()).isEqualTo("{\"qos_specs\":{\"iops_bytes\":\"500\",\"consumer\":\"both\"}}");
    JsonNode shown = admin.get(base + "/qos-specs/" + id).expect(200).get("qos_specs");
    assertThat(shown.get("consumer").asText()).isEqualTo("both");
    assertThat(shown.get("specs").toString()).isEqualTo("{\"iops_bytes\":\"500\",\"total_iops_sec\":\"100\"}");

    Api.Response missing = admin.put(base + "/qos-specs/" + id + "/delete_keys", "{\"keys\": [\"iops_bytes\", \"nope\"]}");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.json().at("/itemNotFound/message").asText())
        .isEqualTo("QoS spec " + id + " has no spec with key nope.");
    assertThat(admin.get(base + "/qos-specs/" + id).json().at("/qos_specs/specs").has("iops_bytes"))
        .as("a refused unset removes nothing").isTrue();

    admin.put(base + "/qos-specs/" + id + "/delete_keys", "{\"keys\": [\"iops_bytes\"]}").expect(202);
    assertThat(admin.get(base + "/qos-specs/" + id).json().at("/qos_specs/specs").toString())
        .isEqualTo("{\"total_iops_sec\":\"100\"}");
    assertThat(admin.put(base + "/qos-specs/" + id + "/delete_keys", "{\"keys\": \"x\"}").status()).isEqualTo(400);
    assertThat(admin.put(base + "/qos-specs/no-such", "{\"qos_specs\": {\"a\": \"b\"}}").status()).isEqualTo(404);
  }

  @Test
  void associatedTypesShowTheQosAndHoldItUntilForced() {
    String id = createQos("{\"qos_specs\": {\"name\": \"assoc\"}}").at("/qos_specs/id").asText();
    String other = createQos("{\"qos_specs\": {\"name\": \"assoc-other\"}}").at("/qos_specs/id").asText();
    String first = newType("qos-type-1");
    String second = newType("qos-type-2");
    admin.get(base + "/qos-specs/" + id + "/associate?vol_type_id=" + first).expect(202);
    admin.get(base + "/qos-specs/" + id + "/associate?vol_type_id=" + second).expect(202);
    admin.get(base + "/qos-specs/" + id + "/associate?vol_type_id=" + second).expect(202);

    JsonNode associations = admin.get(base + "/qos-specs/" + id + "/associations").expect(200).get("qos_associations");
    assertThat(associations.toString())
        .isEqualTo("[{\"association_type\":\"volume_type\",\"name\":\"qos-type-1\",\"id\":\"" + first + "\"},"
            + "{\"association_type\":\"volume_type\",\"name\":\"qos-type-2\",\"id\":\"" + second + "\"}]");
    assertThat(admin.get(base + "/types/" + first).json().at("/volume_type/qos_specs_id").asText()).isEqualTo(id);
    assertThat(member.get(memberBase + "/types/" + first).json().at("/volume_type").has("qos_specs_id"))
        .as("only admins see qos_specs_id").isFalse();

    Api.Response taken = admin.get(base + "/qos-specs/" + other + "/associate?vol_type_id=" + first);
    assertThat(taken.status()).isEqualTo(400);
    assertThat(taken.json().at("/badRequest/message").asText())
        .isEqualTo("Invalid volume type: Type " + first + " is already associated with another qos specs: " + id);
    assertThat(admin.get(base + "/qos-specs/" + id + "/associate?vol_type_id=no-such").status()).isEqualTo(404);
    assertThat(admin.get(base + "/qos-specs/" + id + "/associate").status()).isEqualTo(400);

    Api.Response inUse = admin.delete(base + "/qos-specs/" + id);
    assertThat(inUse.status()).isEqualTo(400);
    assertThat(inUse.json().at("/badRequest/message").asText()).isEqualTo("Qos specs still in use.");

    admin.get(base + "/qos-specs/" + id + "/disassociate?vol_type_id=" + first).expect(202);
    assertThat(admin.get(base + "/types/" + first).json().at("/volume_type/qos_specs_id").isNull()).isTrue();
    admin.delete(base + "/qos-specs/" + id + "?force=true").expect(202);
    assertThat(admin.get(base + "/types/" + second).json().at("/volume_type/qos_specs_id").isNull())
        .as("a forced delete lets the types go").isTrue();
    admin.get(base + "/qos-specs/" + other + "/associate?vol_type_id=" + first).expect(202);
    admin.get(base + "/qos-specs/" + other + "/disassociate_all").expect(202);
    assertThat(admin.get(base + "/qos-specs/" + other + "/associations").json().get("qos_associations").size()).isZero();
  }

  @Test
  void racingAssociationsOfOneTypeHaveOneWinner() {
    String type = newType("qos-race");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      ids.add(createQos("{\"qos_specs\": {\"name\": \"race-" + i + "\"}}").at("/qos_specs/id").asText());
    }
    List<Integer> statuses =
        Race.run(ids.size(), i -> admin.get(base + "/qos-specs/" + ids.get(i) + "/associate?vol_type_id=" + type).status());
    assertThat(statuses).containsOnly(202, 400);
    assertThat(statuses).filteredOn(s -> s == 202).hasSize(1);
  }

  @Test
  void onlyAdminsManageQosSpecs() {
    Api.Response refused = member.get(memberBase + "/qos-specs");
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.json().at("/forbidden/message").asText())
        .isEqualTo("Policy doesn't allow volume_extension:qos_specs_manage:get_all to be performed.");
    assertThat(member.post(memberBase + "/qos-specs", "{\"qos_specs\": {\"name\": \"mine\"}}").status()).isEqualTo(403);
  }

  @Test
  void answersMatchTempestsSchemas() {
    TempestSchemas schemas = new TempestSchemas();
    Api.Response made = admin.post(base + "/qos-specs", "{\"qos_specs\": {\"name\": \"schema\", \"read_iops_sec\": \"9\"}}");
    String id = made.json().at("/qos_specs/id").asText();
    String type = newType("qos-schema-type");
    schemas.check("volume.qos.show_qos", made)
        .check("volume.qos.show_qos", admin.get(base + "/qos-specs/" + id))
        .check("volume.qos.list_qos", admin.get(base + "/qos-specs"))
        .check("volume.qos.set_qos_key", admin.put(base + "/qos-specs/" + id, "{\"qos_specs\": {\"iops_bytes\": \"5\"}}"))
        .check("volume.qos.unset_qos_key", admin.put(base + "/qos-specs/" + id + "/delete_keys", "{\"keys\": [\"iops_bytes\"]}"))
        .check("volume.qos.associate_qos", admin.get(base + "/qos-specs/" + id + "/associate?vol_type_id=" + type))
        .check("volume.qos.show_association_qos", admin.get(base + "/qos-specs/" + id + "/associations"))
        .check("volume.volume_types.show_volume_type", admin.get(base + "/types/" + type))
        .check("volume.qos.disassociate_qos", admin.get(base + "/qos-specs/" + id + "/disassociate?vol_type_id=" + type))
        .check("volume.qos.disassociate_all_qos", admin.get(base + "/qos-specs/" + id + "/disassociate_all"))
        .check("volume.qos.delete_qos", admin.delete(base + "/qos-specs/" + id))
        .verify();
  }
}
