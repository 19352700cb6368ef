package dev.kiln.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.KilnExtension;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Keystone's projects acting as domains ({@code is_domain: true}) over HTTP. */
class DomainProjectsApiTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();

  @Test
  void projectCreatedAsDomainIsADomainListedAsBothAndDeletedAsAProject() {
    Api admin = kiln.admin();
    String name = "pd-" + UUID.randomUUID().toString().substring(0, 8);
    JsonNode project =
        admin.post("/identity/v3/projects", "{\"project\": {\"name\": \"" + name + "\", \"is_domain\": true, \"domain_id\": null}}")
            .expect(201)
            .get("project");
    String id = project.get("id").asText();
    assertThat(project.get("is_domain").asBoolean()).isTrue();
    assertThat(project.get("domain_id").isNull()).isTrue();
    assertThat(admin.get("/identity/v3/domains/" + id).expect(200).at("/domain/name").asText()).isEqualTo(name);
    assertThat(admin.get("/identity/v3/projects?is_domain=true").expect(200).get("projects").findValuesAsText("id")).contains(id);
    assertThat(admin.get("/identity/v3/projects").expect(200).get("projects").findValuesAsText("id")).doesNotContain(id);
    assertThat(admin.get("/identity/v3/projects/" + id).expect(200).at("/project/is_domain").asBoolean()).isTrue();

    admin.delete("/identity/v3/projects/" + id).expect(403); // enabled, as for a domain
    admin.patch("/identity/v3/projects/" + id, "{\"project\": {\"enabled\": false}}").expect(200);
    admin.delete("/identity/v3/projects/" + id).expect(204);
    admin.get("/identity/v3/domains/" + id).expect(404);
  }

  @Test
  void projectAsDomainCannotHaveADomainOrParent() {
    kiln.admin()
        .post("/identity/v3/projects", "{\"project\": {\"name\": \"x\", \"is_domain\": true, \"domain_id\": \"default\"}}")
        .expect(400);
  }
}
