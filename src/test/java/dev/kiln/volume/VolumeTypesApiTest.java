package dev.kiln.volume;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.Tenant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Cinder v3 volume types and extra specs over HTTP: shapes, policy and fault bodies. */
class VolumeTypesApiTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static Api admin;
  private static Api member;
  private static String adminTypes;
  private static String memberTypes;
  private static String memberProject;

  @BeforeAll
  static void start() {
    Tenant operator = Tenant.admin(kiln);
    admin = operator.api();
    String adminProject = operator.projectId();
    Tenant tenant = Tenant.create(kiln, admin, "tenant", "voluser");
    memberProject = tenant.projectId();
    member = tenant.api();
    adminTypes = "/volume/v3/" + adminProject + "/types";
    memberTypes = "/volume/v3/" + memberProject + "/types";
  }

  private static JsonNode create(String body) {
    Api.Response r = admin.post(adminTypes, "{\"volume_type\": " + body + "}");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json().get("volume_type");
  }

  private static List<String> names(JsonNode list) {
    List<String> names = new ArrayList<>();
    list.get("volume_types").forEach(t -> names.add(t.get("name").asText()));
    return names;
  }

  @Test
  void defaultTypeExistsAndCannotBeDeleted() {
    JsonNode type = member.get(memberTypes + "/default").json().get("volume_type");
    assertThat(type.get("name").asText()).isEqualTo("__DEFAULT__");
    assertThat(type.get("description").asText()).isEqualTo("Default Volume Type");
    assertThat(type.get("is_public").asBoolean()).isTrue();
    assertThat(names(member.get(memberTypes).json())).contains("__DEFAULT__");

    Api.Response refused = admin.delete(adminTypes + "/" + type.get("id").asText());
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().at("/badRequest/message").asText())
        .isEqualTo("The volume type " + type.get("id").asText() + " is a default volume type and cannot be deleted.");
  }

  @Test
  void typeLifecycleWithCinderShapes() {
    JsonNode created =
        create(
            "{\"name\": \"gold\", \"description\": \"fast\", \"os-volume-type-access:is_public\": \"True\","
                + " \"extra_specs\": {\"volume_backend_name\": \"lvm\", \"multiattach\": \"<is> True\"}}");
    String id = created.get("id").asText();
    assertThat(created.get("name").asText()).isEqualTo("gold");
    assertThat(created.get("description").asText()).isEqualTo("fast");
    assertThat(created.get("is_public").asBoolean()).isTrue();
    assertThat(created.get("os-volume-type-access:is_public").asBoolean()).isTrue();
    assertThat(created.has("qos_specs_id")).as("Cinder's create answers the legacy view").isFalse();
    assertThat(admin.get(adminTypes + "/" + id).json().at("/volume_type/qos_specs_id").isNull()).isTrue();
    assertThat(created.at("/extra_specs/volume_backend_name").asText()).isEqualTo("lvm");

    // Members see the type, but only the extra specs Cinder shows to users, and no QoS id.
    JsonNode seen = member.get(memberTypes + "/" + id).json().get("volume_type");
    assertThat(seen.get("extra_specs").toString()).isEqualTo("{\"multiattach\":\"<is> True\"}");
    assertThat(seen.has("qos_specs_id")).isFalse();

    Api.Response renamed =
        admin.put(adminTypes + "/" + id, "{\"volume_type\": {\"name\": \"platinum\", \"description\": null}}");
    assertThat(renamed.status()).as(renamed.body()).isEqualTo(200);
    assertThat(renamed.json().at("/volume_type/name").asText()).isEqualTo("platinum");
    assertThat(renamed.json().at("/volume_type/description").asText()).isEqualTo("fast");
    assertThat(renamed.json().at("/volume_type/extra_specs/multiattach").asText()).isEqualTo("<is> True");

    Api.Response nothing = admin.put(adminTypes + "/" + id, "{\"volume_type\": {\"name\": null, \"description\": null}}");
    assertThat(nothing.status()).isEqualTo(400);
    assertThat(nothing.json().at("/badRequest/message").asText())
        .isEqualTo("Specify volume type name, description, is_public or a combination thereof.");

    assertThat(admin.delete(adminTypes + "/" + id).status()).isEqualTo(202);
    Api.Response gone = admin.get(adminTypes + "/" + id);
    assertThat(gone.status()).isEqualTo(404);
    assertThat(gone.json().at("/itemNotFound/message").asText()).isEqualTo("Volume type " + id + " could not be found.");
  }

  @Test
  void extraSpecsCrud() {
    String id = create("{\"name\": \"specced\"}").get("id").asText();
    String specs = adminTypes + "/" + id + "/extra_specs";

    Api.Response set = admin.post(specs, "{\"extra_specs\": {\"a\": \"1\", \"b\": \"2\"}}");
    assertThat(set.status()).as(set.body()).isEqualTo(200);
    assertThat(set.json().toString()).isEqualTo("{\"extra_specs\":{\"a\":\"1\",\"b\":\"2\"}}");
    assertThat(admin.get(specs).json().get("extra_specs").toString()).isEqualTo("{\"a\":\"1\",\"b\":\"2\"}");
    assertThat(admin.get(specs + "/a").json().toString()).isEqualTo("{\"a\":\"1\"}");

    Api.Response updated = admin.put(specs + "/a", "{\"a\": \"10\"}");
    assertThat(updated.status()).isEqualTo(200);
    assertThat(updated.json().toString()).isEqualTo("{\"a\":\"10\"}");
    Api.Response mismatch = admin.put(specs + "/a", "{\"b\": \"10\"}");
    assertThat(mismatch.status()).isEqualTo(400);
    assertThat(mismatch.json().at("/badRequest/message").asText()).isEqualTo("Request body and URI mismatch");

    assertThat(admin.delete(specs + "/a").status()).isEqualTo(202);
    Api.Response missing = admin.delete(specs + "/a");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.json().at("/itemNotFound/message").asText())
        .isEqualTo("Volume Type " + id + " has no extra specs with key a.");
    assertThat(admin.get(specs + "/a").status()).isEqualTo(404);
    assertThat(admin.get(specs).json().get("extra_specs").toString()).isEqualTo("{\"b\":\"2\"}");

    Api.Response badKey = admin.post(specs, "{\"extra_specs\": {\"has space\": \"x\"}}");
    assertThat(badKey.status()).isEqualTo(400);
    assertThat(badKey.json().at("/badRequest/message").asText()).contains("'extra_specs/has space'");
    Api.Response notString = admin.post(specs, "{\"extra_specs\": {\"n\": 1}}");
    assertThat(notString.status()).isEqualTo(400);
    assertThat(notString.json().at("/badRequest/message").asText()).contains("'extra_specs/n'");

    Api.Response both = admin.post(specs, "{\"extra_specs\": {\"multiattach\": \"<is> True\", \"cacheable\": \"<is> True\"}}");
    assertThat(both.status()).isEqualTo(400);
    assertThat(both.json().at("/badRequest/message").asText()).isEqualTo("cacheable cannot be set with multiattach.");
  }

  @Test
  void onlyAdminsChangeTypes() {
    String id = create("{\"name\": \"guarded\"}").get("id").asText();
    Api.Response create = member.post(memberTypes, "{\"volume_type\": {\"name\": \"mine\"}}");
    assertThat(create.status()).isEqualTo(403);
    assertThat(create.json().at("/forbidden/message").asText())
        .isEqualTo("Policy doesn't allow volume_extension:type_create to be performed.");
    assertThat(member.put(memberTypes + "/" + id, "{\"volume_type\": {\"name\": \"x\"}}").status()).isEqualTo(403);
    assertThat(member.delete(memberTypes + "/" + id).status()).isEqualTo(403);
    assertThat(member.post(memberTypes + "/" + id + "/extra_specs", "{\"extra_specs\": {\"a\": \"b\"}}").status())
        .isEqualTo(403);
    assertThat(member.delete(memberTypes + "/" + id + "/extra_specs/a").status()).isEqualTo(403);
    // A member may use only its own project's URLs.
    assertThat(member.get(adminTypes).status()).isEqualTo(403);
  }

  @Test
  void privateTypesAreForAdminsOnly() {
    String id = create("{\"name\": \"hidden\", \"os-volume-type-access:is_public\": false}").get("id").asText();
    assertThat(names(member.get(memberTypes + "?is_public=None").json())).doesNotContain("hidden");
    Api.Response show = member.get(memberTypes + "/" + id);
    assertThat(show.status()).isEqualTo(404);
    assertThat(show.json().at("/itemNotFound/message").asText()).isEqualTo("Volume type " + id + " could not be found.");

    // Cinder lists public types unless the admin asks for private ones or for all (None).
    assertThat(names(admin.get(adminTypes).json())).doesNotContain("hidden");
    assertThat(names(admin.get(adminTypes + "?is_public=false").json())).contains("hidden").doesNotContain("__DEFAULT__");
    assertThat(names(admin.get(adminTypes + "?is_public=None").json())).contains("hidden", "__DEFAULT__");
    assertThat(admin.get(adminTypes + "?is_public=maybe").status()).isEqualTo(400);
  }

  @Test
  void listSortsAndPages() {
    create("{\"name\": \"page-a\"}");
    create("{\"name\": \"page-b\"}");
    create("{\"name\": \"page-c\"}");
    JsonNode first = admin.get(adminTypes + "?sort=name:asc&limit=2").json();
    assertThat(names(first)).hasSize(2);
    String next = first.at("/volume_type_links/0/href").asText();
    assertThat(next).contains("marker=");
    List<String> all = names(admin.get(adminTypes + "?sort_key=name&sort_dir=asc").json());
    assertThat(all).isSorted();
    JsonNode second =
        admin.get(next.substring(kiln.baseUrl().length()) + "&sort=name:asc").json();
    assertThat(names(second).getFirst()).isEqualTo(all.get(2));
    assertThat(admin.get(adminTypes + "?sort=colour:asc").status()).isEqualTo(400);
    assertThat(admin.get(adminTypes + "?sort_dir=sideways").status()).isEqualTo(400);
    assertThat(admin.get(adminTypes + "?marker=nope").status()).isEqualTo(400);
  }

  @Test
  void badInputIs400NamingTheField() {
    Api.Response unknown = admin.post(adminTypes, "{\"volume_type\": {\"name\": \"x\", \"colour\": \"blue\"}}");
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.json().at("/badRequest/message").asText()).contains("'volume_type/colour'");
    Api.Response noName = admin.post(adminTypes, "{\"volume_type\": {\"description\": \"x\"}}");
    assertThat(noName.status()).isEqualTo(400);
    assertThat(noName.json().at("/badRequest/message").asText()).contains("'volume_type/name'");
    Api.Response badBool =
        admin.post(adminTypes, "{\"volume_type\": {\"name\": \"x\", \"os-volume-type-access:is_public\": \"maybe\"}}");
    assertThat(badBool.status()).isEqualTo(400);
    assertThat(badBool.json().at("/badRequest/message").asText()).contains("'volume_type/os-volume-type-access:is_public'");
    assertThat(admin.post(adminTypes, "not json").status()).isEqualTo(400);

    create("{\"name\": \"twice\"}");
    Api.Response again = admin.post(adminTypes, "{\"volume_type\": {\"name\": \"twice\"}}");
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.json().at("/conflictingRequest/message").asText()).isEqualTo("Volume Type twice already exists.");

    Api.Response unknownType = admin.get(adminTypes + "/no-such-type/extra_specs");
    assertThat(unknownType.status()).isEqualTo(404);
    assertThat(unknownType.json().at("/itemNotFound/message").asText()).isEqualTo("Volume type no-such-type could not be found.");
  }
}
