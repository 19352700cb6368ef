package dev.kiln.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.RunningKiln;
import dev.kiln.testing.Tenant;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Glance v2 metadata definitions over HTTP: namespaces, their contents, resource types, schemas. */
class MetadefApiTest {
  private static final String NS = "/image/v2/metadefs/namespaces";

  @TempDir static Path dataDir;
  private static RunningKiln kiln;
  private static Api admin;
  private static Tenant user;

  @BeforeAll
  static void start() {
    kiln = RunningKiln.start(dataDir);
    admin = Tenant.admin(kiln).api();
    user = Tenant.create(kiln, admin, "mdefproject", "mdefuser");
  }

  @AfterAll
  static void stop() {
    kiln.close();
  }

  private static String namespace(String visibility, boolean isProtected) {
    String name = "ns-" + UUID.randomUUID();
    admin.post(NS, "{\"namespace\": \"" + name + "\", \"visibility\": \"" + visibility + "\", \"protected\": " + isProtected
        + ", \"description\": \"test\", \"display_name\": \"" + name + "\"}").expect(201);
    return name;
  }

  @Test
  void aFreshCloudListsTheResourceTypesGlanceShipsDefinitionsFor() {
    List<String> names = user.api().get("/image/v2/metadefs/resource_types").expect(200)
        .get("resource_types").findValuesAsText("name");
    assertThat(names).contains("OS::Glance::Image", "OS::Cinder::Volume", "OS::Nova::Flavor", "OS::Nova::Server");
  }

  @Test
  void aProtectedNamespaceIsRefusedDeletionUntilUnprotected() {
    String name = "ns-" + UUID.randomUUID();
    Api.Response created = admin.post(NS, "{\"namespace\": \"" + name + "\", \"visibility\": \"public\", \"protected\": true,"
        + " \"resource_type_associations\": [{\"name\": \"OS::Glance::Image\"}], \"tags\": [{\"name\": \"t1\"}]}");
    JsonNode body = created.expect(201);
    assertThat(created.header("Location")).isEqualTo("/v2/metadefs/namespaces/" + name);
    assertThat(body.get("self").asText()).isEqualTo("/v2/metadefs/namespaces/" + name);
    assertThat(body.get("owner").asText()).isNotEmpty();
    assertThat(admin.get(NS).expect(200).get("namespaces").findValuesAsText("namespace")).contains(name);

    JsonNode shown = user.api().get(NS + "/" + name).expect(200);
    assertThat(shown.get("visibility").asText()).isEqualTo("public");
    assertThat(shown.at("/resource_type_associations/0/name").asText()).isEqualTo("OS::Glance::Image");
    assertThat(shown.at("/tags/0/name").asText()).isEqualTo("t1");

    assertThat(admin.delete(NS + "/" + name).status()).isEqualTo(403);
    assertThat(admin.delete(NS + "/" + name + "/tags/t1").status()).isEqualTo(403);
    JsonNode updated = admin.put(NS + "/" + name,
        "{\"namespace\": \"" + name + "\", \"visibility\": \"private\", \"protected\": false}").expect(200);
    assertThat(updated.get("visibility").asText()).isEqualTo("private");
    assertThat(updated.get("protected").asBoolean()).isFalse();
    assertThat(admin.delete(NS + "/" + name).status()).isEqualTo(204);
    assertThat(admin.get(NS + "/" + name).status()).isEqualTo(404);
  }

  @Test
  void onlyAdminsWriteAndPrivateNamespacesAreHiddenFromOtherProjects() {
    String open = namespace("public", false);
    String hidden = namespace("private", false);
    assertThat(user.api().post(NS, "{\"namespace\": \"mine-" + UUID.randomUUID() + "\"}").status()).isEqualTo(403);
    assertThat(user.api().put(NS + "/" + open, "{\"namespace\": \"" + open + "\"}").status()).isEqualTo(403);
    assertThat(user.api().post(NS + "/" + open + "/tags/x", null).status()).isEqualTo(403);
    assertThat(user.api().get(NS + "/" + hidden).status()).isEqualTo(404);
    assertThat(user.api().get(NS + "/" + hidden + "/objects").status()).isEqualTo(404);
    List<String> seen = user.api().get(NS).expect(200).get("namespaces").findValuesAsText("namespace");
    assertThat(seen).contains(open).doesNotContain(hidden);
    assertThat(admin.get(NS + "?visibility=private").expect(200).get("namespaces").findValuesAsText("namespace"))
        .contains(hidden).doesNotContain(open);
  }

  @Test
  void badNamespaceBodiesAreRefusedWithTheirReason() {
    assertThat(admin.post(NS, "{\"display_name\": \"no name\"}").status()).isEqualTo(400);
    assertThat(admin.post(NS, "{\"namespace\": \"x\", \"visibility\": \"everyone\"}").status()).isEqualTo(400);
    assertThat(admin.post(NS, "{\"namespace\": \"x\", \"self\": \"/elsewhere\"}").status()).isEqualTo(403);
    assertThat(admin.post(NS, "{\"namespace\": \"x\", \"colour\": \"blue\"}").status()).isEqualTo(400);
    String name = namespace("public", false);
    assertThat(admin.post(NS, "{\"namespace\": \"" + name + "\"}").status()).isEqualTo(409);
    // A namespace whose contents clash is not created at all.
    String clash = "ns-" + UUID.randomUUID();
    assertThat(admin.post(NS, "{\"namespace\": \"" + clash + "\", \"tags\": [{\"name\": \"a\"}, {\"name\": \"a\"}]}").status())
        .isEqualTo(409);
    assertThat(admin.get(NS + "/" + clash).status()).isEqualTo(404);
  }

  @Test
  void objectsAreCreatedShownRenamedAndDeleted() {
    String ns = namespace("public", false);
    JsonNode made = admin.post(NS + "/" + ns + "/objects",
        "{\"name\": \"obj1\", \"required\": [\"p\"], \"properties\": {\"p\": {\"title\": \"P\", \"type\": \"string\"}}}").expect(201);
    assertThat(made.get("self").asText()).isEqualTo("/v2/metadefs/namespaces/" + ns + "/objects/obj1");
    assertThat(made.at("/properties/p/type").asText()).isEqualTo("string");
    assertThat(user.api().get(NS + "/" + ns + "/objects/obj1").expect(200).get("name").asText()).isEqualTo("obj1");
    assertThat(admin.post(NS + "/" + ns + "/objects", "{\"name\": \"obj1\"}").status()).isEqualTo(409);
    assertThat(admin.put(NS + "/" + ns + "/objects/obj1", "{\"name\": \"obj2\"}").expect(200).get("name").asText())
        .isEqualTo("obj2");
    assertThat(admin.get(NS + "/" + ns + "/objects").expect(200).get("objects").findValuesAsText("name"))
        .containsExactly("obj2");
    assertThat(admin.delete(NS + "/" + ns + "/objects/obj2").status()).isEqualTo(204);
    assertThat(admin.get(NS + "/" + ns + "/objects/obj2").status()).isEqualTo(404);
    assertThat(admin.get(NS + "/" + ns + "/objects").expect(200).get("objects")).isEmpty();
  }

  @Test
  void propertiesKeepTheirDefinitionAndAreUpdatedWhole() {
    String ns = namespace("public", false);
    admin.post(NS + "/" + ns + "/resource_types", "{\"name\": \"OS::Nova::Flavor\"}").expect(201);
    JsonNode made = admin.post(NS + "/" + ns + "/properties",
        "{\"name\": \"hypervisor\", \"title\": \"Hypervisor\", \"type\": \"string\", \"enum\": [\"kvm\", \"qemu\"]}").expect(201);
    assertThat(made.get("title").asText()).isEqualTo("Hypervisor");
    assertThat(made.get("enum")).hasSize(2);
    assertThat(admin.get(NS + "/" + ns + "/properties/hypervisor").expect(200).get("name").asText()).isEqualTo("hypervisor");
    assertThat(admin.put(NS + "/" + ns + "/properties/hypervisor",
        "{\"name\": \"hypervisor\", \"title\": \"Renamed\", \"type\": \"string\"}").expect(200).get("title").asText())
        .isEqualTo("Renamed");
    assertThat(admin.post(NS + "/" + ns + "/properties", "{\"name\": \"bad\", \"title\": \"B\", \"type\": \"colour\"}").status())
        .isEqualTo(400);
    assertThat(admin.post(NS + "/" + ns + "/properties", "{\"name\": \"untitled\", \"type\": \"string\"}").status())
        .isEqualTo(400);
    assertThat(admin.get(NS + "/" + ns).expect(200).at("/properties/hypervisor/title").asText()).isEqualTo("Renamed");
    assertThat(admin.delete(NS + "/" + ns + "/properties/hypervisor").status()).isEqualTo(204);
    assertThat(admin.get(NS + "/" + ns + "/properties").expect(200).get("properties")).isEmpty();
  }

  @Test
  void tagsAreCreatedInBulkOrOneByOneRenamedAndDeleted() {
    String ns = namespace("public", false);
    JsonNode bulk = admin.post(NS + "/" + ns + "/tags",
        "{\"tags\": [{\"name\": \"a\"}, {\"name\": \"b\"}, {\"name\": \"c\"}]}").expect(201);
    assertThat(bulk.get("tags").findValuesAsText("name")).containsExactly("a", "b", "c");
    assertThat(admin.get(NS + "/" + ns + "/tags").expect(200).get("tags")).hasSize(3);
    // A second bulk create replaces the tags.
    admin.post(NS + "/" + ns + "/tags", "{\"tags\": [{\"name\": \"d\"}]}").expect(201);
    assertThat(admin.get(NS + "/" + ns + "/tags").expect(200).get("tags").findValuesAsText("name")).containsExactly("d");
    assertThat(admin.post(NS + "/" + ns + "/tags/e", null).expect(201).get("name").asText()).isEqualTo("e");
    assertThat(admin.post(NS + "/" + ns + "/tags/e", null).status()).isEqualTo(409);
    assertThat(admin.put(NS + "/" + ns + "/tags/e", "{\"name\": \"f\"}").expect(200).get("name").asText()).isEqualTo("f");
    assertThat(admin.get(NS + "/" + ns + "/tags/f").expect(200).get("name").asText()).isEqualTo("f");
    assertThat(admin.delete(NS + "/" + ns + "/tags/f").status()).isEqualTo(204);
    assertThat(admin.delete(NS + "/" + ns + "/tags").status()).isEqualTo(204);
    assertThat(admin.get(NS + "/" + ns + "/tags").expect(200).get("tags")).isEmpty();
  }

  @Test
  void resourceTypeAssociationsAreListedAndRemoved() {
    String ns = namespace("public", false);
    JsonNode made = admin.post(NS + "/" + ns + "/resource_types",
        "{\"name\": \"OS::Cinder::Volume\", \"prefix\": \"hw_\"}").expect(201);
    assertThat(made.get("prefix").asText()).isEqualTo("hw_");
    assertThat(admin.post(NS + "/" + ns + "/resource_types", "{\"name\": \"OS::Cinder::Volume\"}").status()).isEqualTo(409);
    assertThat(admin.get(NS + "/" + ns + "/resource_types").expect(200).get("resource_type_associations")
        .findValuesAsText("name")).containsExactly("OS::Cinder::Volume");
    assertThat(admin.get(NS + "?resource_types=OS::Cinder::Volume").expect(200).get("namespaces")
        .findValuesAsText("namespace")).contains(ns);
    assertThat(admin.delete(NS + "/" + ns + "/resource_types/OS::Cinder::Volume").status()).isEqualTo(204);
    assertThat(admin.get(NS + "/" + ns + "/resource_types").expect(200).get("resource_type_associations")).isEmpty();
    assertThat(admin.delete(NS + "/" + ns + "/resource_types/OS::Cinder::Volume").status()).isEqualTo(404);
  }

  @Test
  void theMetadefSchemasAreServedUnderTheirNames() {
    String[][] expected = {
      {"namespace", "namespace"}, {"namespaces", "namespaces"}, {"resource_type", "resource_type_association"},
      {"resource_types", "resource_type_associations"}, {"object", "object"}, {"objects", "objects"},
      {"property", "property"}, {"properties", "properties"}, {"tag", "tag"}, {"tags", "tags"}};
    for (String[] pair : expected) {
      JsonNode schema = user.api().get("/image/v2/schemas/metadefs/" + pair[0]).expect(200);
      assertThat(schema.get("name").asText()).as(pair[0]).isEqualTo(pair[1]);
    }
    assertThat(user.api().get("/image/v2/schemas/metadefs/namespaces").expect(200).at("/definitions/property/type").asText())
        .isEqualTo("object");
  }

  @Test
  void showingANamespaceForAResourceTypePrefixesItsPropertyNames() {
    String ns = namespace("public", false);
    admin.post(NS + "/" + ns + "/resource_types", "{\"name\": \"OS::Glance::Image\", \"prefix\": \"hw_\"}").expect(201);
    admin.post(NS + "/" + ns + "/properties", "{\"name\": \"cpu\", \"title\": \"CPU\", \"type\": \"string\"}").expect(201);
    admin.post(NS + "/" + ns + "/objects",
        "{\"name\": \"o\", \"required\": [\"mem\"], \"properties\": {\"mem\": {\"title\": \"M\", \"type\": \"integer\"}}}")
        .expect(201);
    JsonNode forImages = admin.get(NS + "/" + ns + "?resource_type=OS::Glance::Image").expect(200);
    assertThat(forImages.at("/properties/hw_cpu/title").asText()).isEqualTo("CPU");
    assertThat(forImages.at("/objects/0/required/0").asText()).isEqualTo("hw_mem");
    assertThat(forImages.at("/objects/0/properties/hw_mem/type").asText()).isEqualTo("integer");
    JsonNode plain = admin.get(NS + "/" + ns).expect(200);
    assertThat(plain.at("/properties/cpu/title").asText()).isEqualTo("CPU");
  }
}
