package dev.kiln.identity.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.http.Json;
import dev.kiln.identity.ApplicationCredential;
import dev.kiln.identity.Domain;
import dev.kiln.identity.Group;
import dev.kiln.identity.Project;
import dev.kiln.identity.Role;
import dev.kiln.identity.CatalogEntry;
import dev.kiln.identity.TokenInfo;
import dev.kiln.identity.User;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Keystone's JSON shapes for Kiln's identity records. */
final class IdentityViews {
  /** Keystone's timestamps: UTC with microseconds and a Z. */
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

  private final String v3;

  /** @param baseUrl where Kiln is reached; links point below {@code baseUrl/identity/v3}. */
  IdentityViews(String baseUrl) {
    this.v3 = baseUrl + "/identity/v3";
  }

  String v3Url() {
    return v3;
  }

  static String time(Instant instant) {
    return TIME.format(instant);
  }

  ObjectNode domain(Domain d) {
    ObjectNode n = Json.object();
    n.put("id", d.id());
    n.put("name", d.name());
    n.put("description", d.description());
    n.put("enabled", d.enabled());
    n.putArray("tags");
    n.putObject("options");
    n.set("links", self("/domains/" + d.id()));
    return n;
  }

  /** A project with its tags. */
  ObjectNode project(Project p, List<String> tags) {
    ObjectNode n = Json.object();
    n.put("id", p.id());
    n.put("name", p.name());
    n.put("domain_id", p.domainId());
    n.put("description", p.description());
    n.put("enabled", p.enabled());
    // Keystone shows a top-level project's domain as its parent.
    n.put("parent_id", p.parentId() == null ? p.domainId() : p.parentId());
    n.put("is_domain", false);
    ArrayNode tagArray = n.putArray("tags");
    tags.forEach(tagArray::add);
    n.putObject("options");
    n.set("links", self("/projects/" + p.id()));
    return n;
  }

  /** A view function for lists of projects whose tags were read at once ({@code tagsById}). */
  Function<Project, ObjectNode> projects(Map<String, List<String>> tagsById) {
    return p -> project(p, tagsById.getOrDefault(p.id(), List.of()));
  }

  ObjectNode user(User u) {
    ObjectNode n = Json.object();
    n.put("id", u.id());
    n.put("name", u.name());
    n.put("domain_id", u.domainId());
    n.put("enabled", u.enabled());
    if (u.defaultProjectId() != null) {
      n.put("default_project_id", u.defaultProjectId());
    }
    if (u.email() != null) {
      n.put("email", u.email());
    }
    if (!u.description().isEmpty()) {
      n.put("description", u.description());
    }
    n.putNull("password_expires_at");
    n.putObject("options");
    n.set("links", self("/users/" + u.id()));
    ExtraAttributes.addTo(n, u.extra());
    return n;
  }

  ObjectNode group(Group g) {
    ObjectNode n = Json.object();
    n.put("id", g.id());
    n.put("name", g.name());
    n.put("domain_id", g.domainId());
    n.put("description", g.description());
    n.set("links", self("/groups/" + g.id()));
    ExtraAttributes.addTo(n, g.extra());
    return n;
  }

  /** An application credential; its secret only in the create answer ({@code secret} not null). */
  ObjectNode appCredential(ApplicationCredential c, String secret) {
    ObjectNode n = Json.object();
    n.put("id", c.id());
    n.put("name", c.name());
    if (c.description() == null) {
      n.putNull("description");
    } else {
      n.put("description", c.description());
    }
    n.put("user_id", c.userId());
    n.put("project_id", c.projectId());
    if (c.expiresAt() == null) {
      n.putNull("expires_at");
    } else {
      n.put("expires_at", isoLocal(c.expiresAt()));
    }
    n.put("unrestricted", c.unrestricted());
    ArrayNode roles = n.putArray("roles");
    for (Role r : c.roles()) {
      ObjectNode role = roles.addObject();
      role.put("id", r.id());
      role.put("name", r.name());
      role.putNull("domain_id");
    }
    ArrayNode rules = n.putArray("access_rules");
    c.accessRules().forEach(r -> rules.add(AccessRulesApi.rule(r)));
    if (secret != null) {
      n.put("secret", secret);
    }
    n.set("links", self("/users/" + c.userId() + "/application_credentials/" + c.id()));
    return n;
  }

  /**
   * A time as Keystone shows an application credential's expiry: UTC without a zone, with
   * microseconds when there are any (Python's isoformat of a naive datetime).
   */
  static String isoLocal(Instant instant) {
    java.time.LocalDateTime t = java.time.LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    String seconds = t.format(SECONDS);
    int micros = t.getNano() / 1000;
    return micros == 0 ? seconds : seconds + String.format(".%06d", micros);
  }

  ObjectNode role(Role r) {
    ObjectNode n = Json.object();
    n.put("id", r.id());
    n.put("name", r.name());
    n.put("domain_id", r.domainId());
    n.put("description", r.description());
    n.putObject("options");
    n.set("links", self("/roles/" + r.id()));
    return n;
  }

  /** A collection answer: {@code {"<key>": [...], "links": {...}}}. */
  <T> ObjectNode collection(String key, List<T> items, Function<T, ObjectNode> view) {
    ObjectNode n = Json.object();
    ArrayNode array = n.putArray(key);
    items.forEach(item -> array.add(view.apply(item)));
    ObjectNode links = n.putObject("links");
    links.put("self", v3 + "/" + key);
    links.putNull("previous");
    links.putNull("next");
    return n;
  }

  ObjectNode wrap(String key, ObjectNode value) {
    return Json.wrap(key, value);
  }

  /** A token's body; {@code catalog} null leaves the catalog out ({@code nocatalog}). */
  ObjectNode token(TokenInfo t, List<CatalogEntry> catalog) {
    ObjectNode token = Json.object();
    ArrayNode methods = token.putArray("methods");
    t.methods().forEach(methods::add);
    ObjectNode user = token.putObject("user");
    user.set("domain", ref(t.userDomain().id(), t.userDomain().name()));
    user.put("id", t.user().id());
    user.put("name", t.user().name());
    user.putNull("password_expires_at");
    token.putArray("audit_ids").add(t.auditId());
    token.put("expires_at", time(t.expiresAt()));
    token.put("issued_at", time(t.issuedAt()));
    if (t.project() != null) {
      ObjectNode project = ref(t.project().id(), t.project().name());
      project.set("domain", ref(t.scopeDomain().id(), t.scopeDomain().name()));
      token.set("project", project);
      token.put("is_domain", false);
    } else if (t.scopeDomain() != null) {
      token.set("domain", ref(t.scopeDomain().id(), t.scopeDomain().name()));
    }
    if (t.appCredential() != null) {
      ObjectNode credential = token.putObject("application_credential");
      credential.put("id", t.appCredential().id());
      credential.put("name", t.appCredential().name());
      credential.put("restricted", !t.appCredential().unrestricted());
      // What every service's auth middleware checks each request against (Keystone shows them
      // only when there are some).
      if (!t.appCredential().accessRules().isEmpty()) {
        ArrayNode rules = credential.putArray("access_rules");
        t.appCredential().accessRules().forEach(r -> rules.add(AccessRulesApi.rule(r)));
      }
    }
    if (t.oauth() != null) {
      ObjectNode oauth = token.putObject("OS-OAUTH1");
      oauth.put("access_token_id", t.oauth().id());
      oauth.put("consumer_id", t.oauth().consumerId());
    }
    if (t.trust() != null) {
      ObjectNode trust = token.putObject("OS-TRUST:trust");
      trust.put("id", t.trust().id());
      trust.put("impersonation", t.trust().impersonation());
      trust.putObject("trustee_user").put("id", t.trust().trusteeUserId());
      trust.putObject("trustor_user").put("id", t.trust().trustorUserId());
    }
    if (t.project() != null || t.scopeDomain() != null) {
      ArrayNode roles = token.putArray("roles");
      t.roles().forEach(r -> roles.add(ref(r.id(), r.name())));
      if (catalog != null) {
        token.set("catalog", catalog(catalog));
      }
    }
    return wrap("token", token);
  }

  /** A catalog as tokens and {@code /v3/auth/catalog} show it. */
  static ArrayNode catalog(List<CatalogEntry> entries) {
    ArrayNode catalog = Json.array();
    for (CatalogEntry service : entries) {
      ObjectNode entry = catalog.addObject();
      ArrayNode endpoints = entry.putArray("endpoints");
      for (CatalogEntry.Endpoint endpoint : service.endpoints()) {
        ObjectNode e = endpoints.addObject();
        e.put("id", endpoint.id());
        e.put("interface", endpoint.iface());
        e.put("region", endpoint.regionId());
        e.put("region_id", endpoint.regionId());
        e.put("url", endpoint.url());
      }
      entry.put("id", service.id());
      entry.put("type", service.type());
      entry.put("name", service.name());
    }
    return catalog;
  }

  private ObjectNode self(String path) {
    ObjectNode links = Json.object();
    links.put("self", v3 + path);
    return links;
  }

  private static ObjectNode ref(String id, String name) {
    ObjectNode n = Json.object();
    n.put("id", id);
    n.put("name", name);
    return n;
  }
}
