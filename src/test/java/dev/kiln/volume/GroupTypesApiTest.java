package dev.kiln.volume;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.TempestSchemas;
import dev.kiln.testing.Tenant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Cinder's group types and group specs (3.11) over HTTP. */
class GroupTypesApiTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static Api admin;
  private static Api member;
  private static String base;
  private static String memberBase;

  @BeforeAll
  static void start() {
    Tenant operator = Tenant.admin(kiln);
    admin = operator.api().withHeader("OpenStack-API-Version", "volume 3.11");
    base = operator.cinder();
    Tenant tenant = Tenant.create(kiln, operator.api(), "group-tenant", "group-user");
    member = tenant.api().withHeader("OpenStack-API-Version", "volume 3.11");
    memberBase = tenant.cinder();
  }

  private static JsonNode create(String body) {
    return admin.post(base + "/group_types", body).expect(202).get("group_type");
  }

  @Test
  void groupTypeLifecycleAsCinderAnswers() {
    JsonNode made = create("{\"group_type\": {\"name\": \"gt-life\", \"description\": \"d\","
        + " \"group_specs\": {\"consistent_group_snapshot_enabled\": \"<is> False\"}, \"is_public\": true}}");
    String id = made.get("id").asText();
    assertThat(made.get("group_specs").toString()).isEqualTo("{\"consistent_group_snapshot_enabled\":\"<is> False\"}");
    Api.Response taken = admin.post(base + "/group_types", "{\"group_type\": {\"name\": \"gt-life\"}}");
    assertThat(taken.status()).isEqualTo(409);

    JsonNode updated = admin.put(base + "/group_types/" + id,
        "{\"group_type\": {\"name\": \"gt-life-2\", \"description\": \"new\"}}").expect(200).get("group_type");
    assertThat(updated.get("name").asText()).isEqualTo("gt-life-2");
    assertThat(admin.put(base + "/group_types/" + id, "{\"group_type\": {}}").status()).isEqualTo(400);
    JsonNode shown = admin.get(base + "/group_types/" + id).expect(200).get("group_type");
    assertThat(shown.get("description").asText()).isEqualTo("new");
    assertThat(member.get(memberBase + "/group_types/" + id).expect(200).get("group_type").has("group_specs"))
        .as("group specs are for admins").isFalse();

    admin.delete(base + "/group_types/" + id).expect(202);
    assertThat(admin.get(base + "/group_types/" + id).status()).isEqualTo(404);
    assertThat(admin.get(base + "/group_types").expect(200).get("group_types").findValuesAsText("id")).doesNotContain(id);
  }

  @Test
  void listsSortAndFilterByVisibility() {
    create("{\"group_type\": {\"name\": \"a-list\", \"is_public\": true}}");
    create("{\"group_type\": {\"name\": \"b-list\", \"is_public\": false}}");
    List<String> asc = admin.get(base + "/group_types?sort=name:asc&is_public=None").expect(200)
        .get("group_types").findValuesAsText("name");
    assertThat(asc.indexOf("a-list")).isLessThan(asc.indexOf("b-list"));
    List<String> desc = admin.get(base + "/group_types?sort=name:desc&is_public=None").expect(200)
        .get("group_types").findValuesAsText("name");
    assertThat(desc.indexOf("b-list")).isLessThan(desc.indexOf("a-list"));
    assertThat(admin.get(base + "/group_types?is_public=False").json().get("group_types").findValuesAsText("name"))
        .contains("b-list").doesNotContain("a-list");
    assertThat(admin.get(base + "/group_types").json().get("group_types").findValuesAsText("name"))
        .contains("a-list").doesNotContain("b-list");
    assertThat(member.get(memberBase + "/group_types?is_public=None").json().get("group_types").findValuesAsText("name"))
        .as("members see public types only").doesNotContain("b-list");
  }

  @Test
  void groupSpecsAreSetShownAndDeletedOneByOne() {
    String id = create("{\"group_type\": {\"name\": \"gt-specs\"}}").get("id").asText();
    String specs = base + "/group_types/" + id + "/group_specs";
    assertThat(admin.post(specs, "{\"group_specs\": {\"key1\": \"value1\", \"key2\": \"value2\"}}").expect(202).toString())
        .isEqualTo("{\"group_specs\":{\"key1\":\"value1\",\"key2\":\"value2\"}}");
    admin.post(specs, "{\"group_specs\": {\"key2\": \"value2-updated\"}}").expect(202);
    assertThat(admin.get(specs + "/key2").expect(200).toString()).isEqualTo("{\"key2\":\"value2-updated\"}");
    assertThat(admin.put(specs + "/key1", "{\"key1\": \"v\"}").expect(200).toString()).isEqualTo("{\"key1\":\"v\"}");
    assertThat(admin.put(specs + "/key1", "{\"key9\": \"v\"}").status()).isEqualTo(400);
    assertThat(admin.get(specs).expect(200).get("group_specs").toString())
        .isEqualTo("{\"key1\":\"v\",\"key2\":\"value2-updated\"}");
    admin.delete(specs + "/key1").expect(202);
    Api.Response gone = admin.get(specs + "/key1");
    assertThat(gone.status()).isEqualTo(404);
    assertThat(admin.delete(specs + "/key1").status()).isEqualTo(404);
    assertThat(member.get(memberBase + "/group_types/" + id + "/group_specs").status()).isEqualTo(403);
  }

  @Test
  void groupTypesStartAtMicroversion311() {
    Tenant operator = Tenant.admin(kiln);
    Api old = operator.api().withHeader("OpenStack-API-Version", "volume 3.10");
    assertThat(old.get(base + "/group_types").status()).isEqualTo(404);
    assertThat(admin.get(base + "/group_types/default").status()).isEqualTo(404);
  }

  @Test
  void answersMatchTempestsSchemas() {
    TempestSchemas schemas = new TempestSchemas();
    Api.Response made = admin.post(base + "/group_types", "{\"group_type\": {\"name\": \"gt-schema\", \"group_specs\": {\"a\": \"b\"}}}");
    String id = made.json().at("/group_type/id").asText();
    String specs = base + "/group_types/" + id + "/group_specs";
    schemas.check("volume.group_types.create_group_type", made)
        .check("volume.group_types.show_group_type", admin.get(base + "/group_types/" + id))
        .check("volume.group_types.list_group_types", admin.get(base + "/group_types"))
        .check("volume.group_types.update_group_type", admin.put(base + "/group_types/" + id, "{\"group_type\": {\"description\": \"x\"}}"))
        .check("volume.group_types.create_or_update_group_type_specs", admin.post(specs, "{\"group_specs\": {\"c\": \"d\"}}"))
        .check("volume.group_types.list_group_type_specs", admin.get(specs))
        .check("volume.group_types.show_group_type_specs_item", admin.get(specs + "/c"))
        .check("volume.group_types.update_group_type_specs_item", admin.put(specs + "/c", "{\"c\": \"e\"}"))
        .check("volume.group_types.delete_group_type", admin.delete(base + "/group_types/" + id))
        .verify();
  }
}
