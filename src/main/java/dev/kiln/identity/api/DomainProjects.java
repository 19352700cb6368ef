package dev.kiln.identity.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.http.Json;
import dev.kiln.http.JsonInput;
import dev.kiln.identity.Directory;
import dev.kiln.identity.Domain;
import dev.kiln.identity.ListFilter;

/**
 * Keystone's projects acting as domains ({@code is_domain: true}): in Keystone every domain is
 * such a project. Kiln keeps domains in their own table and shows each through {@code /v3/projects}
 * too, with the same id: created with {@code is_domain: true}, listed with {@code ?is_domain=true},
 * shown, updated and deleted (a disabled one, with all in it) by its id.
 */
final class DomainProjects {
  private DomainProjects() {}

  /** Whether {@code id} names a domain and no ordinary project. */
  static boolean isDomain(Directory directory, String id) {
    return directory.projects(ListFilter.none().eq("id", id)).isEmpty()
        && !directory.domains(ListFilter.none().eq("id", id)).isEmpty();
  }

  static ObjectNode create(Directory directory, JsonInput in, IdentityViews views) {
    if (in.optionalString("domain_id").isPresent() || in.optionalString("parent_id").isPresent()) {
      throw in.invalid("is_domain", "a project acting as a domain has no domain_id or parent_id");
    }
    Domain domain =
        directory.createDomain(
            in.nonBlankString("name", DomainsApi.NAME_MAX),
            in.optionalString("description").orElse(""),
            in.optionalBoolean("enabled").orElse(true));
    return view(domain, views);
  }

  static ObjectNode view(Domain d, IdentityViews views) {
    ObjectNode n = Json.object();
    n.put("id", d.id());
    n.put("name", d.name());
    n.putNull("domain_id");
    n.put("description", d.description());
    n.put("enabled", d.enabled());
    n.putNull("parent_id");
    n.put("is_domain", true);
    n.putArray("tags");
    n.putObject("options");
    n.putObject("links").put("self", views.v3Url() + "/projects/" + d.id());
    return n;
  }
}
