package dev.kiln.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.common.IdGenerator;
import dev.kiln.common.ServiceException;
import dev.kiln.identity.RoleAssignment.Target;
import dev.kiln.identity.RoleAssignment.TargetType;
import dev.kiln.store.Database;
import dev.kiln.store.TestPostgres;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The catalog, domain configuration, OS-INHERIT and role inference stores on PostgreSQL, whose SQL
 * (row locks, foreign keys, reserved words) differs from the embedded database's.
 */
class IdentityCatalogPostgresTest {

  @Test
  void catalogConfigsInheritedGrantsAndInferencesWorkOnPostgres() {
    try (Database db = TestPostgres.newDatabase()) {
      IdGenerator ids = IdGenerator.random();
      Directory directory = new Directory(db, Clock.systemUTC(), ids, new PasswordHasher(1_000, new SecureRandom()));
      directory.createDomain("Default-ish", "", true);

      Catalog catalog = directory.catalog();
      CatalogService service = catalog.createService("thing", "things", null, true, "{}");
      CatalogEndpoint endpoint = catalog.createEndpoint(service.id(), "public", "http://x/$(project_id)s", "EU", true, "{}");
      assertThat(catalog.region("EU").id()).isEqualTo("EU");
      assertThatThrownBy(() -> catalog.deleteRegion("EU")).isInstanceOf(ServiceException.class).hasMessageContaining("endpoints");
      assertThat(catalog.forToken("http://kiln", "p1").stream().filter(e -> e.type().equals("thing")).findFirst().orElseThrow()
              .endpoints().get(0).url())
          .isEqualTo("http://x/p1");
      catalog.deleteService(service.id());
      assertThatThrownBy(() -> catalog.endpoint("http://kiln", endpoint.id())).isInstanceOf(ServiceException.class);
      catalog.deleteRegion("EU");
      EndpointGroup group = directory.endpointGroups().create("g", "", Map.of("interface", "public"));
      assertThat(directory.endpointGroups().group(group.id()).filters()).containsEntry("interface", "public");

      Domain domain = directory.createDomain("d", "", true);
      DomainConfigs configs = directory.domainConfigs();
      assertThat(configs.replace(domain.id(), Map.of("ldap", Map.of("url", "\"ldap://a\"", "password", "\"s\"")))).isTrue();
      assertThat(configs.update(domain.id(), "identity", null, Map.of("identity", Map.of("driver", "\"ldap\""))))
          .containsOnlyKeys("identity", "ldap");
      assertThat(configs.config(domain.id()).get("ldap")).containsOnlyKeys("url");

      Project top = directory.createProject("top", domain.id(), null, "", true);
      Project leaf = directory.createProject("leaf", domain.id(), top.id(), "", true);
      User user = directory.createUser("u", domain.id(), "pw", null, null, "", true);
      Role prior = directory.createRole("prior", "");
      Role implied = directory.createRole("implied", "");
      directory.inheritedGrants().grant(new InheritedGrant(false, user.id(), prior.id(), new Target(TargetType.PROJECT, top.id())));
      directory.roleInferences().add(prior.id(), implied.id());
      RoleAssignments report =
          new RoleAssignments(directory, directory.groups(), directory.inheritedGrants(), directory.roleInferences());
      assertThat(report.list(new AssignmentEntry.Query(user.id(), null, null, leaf.id(), null, false, true)))
          .extracting(AssignmentEntry::roleId)
          .containsExactlyInAnyOrder(prior.id(), implied.id());
    }
  }
}
