package dev.kiln.image.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.http.Json;
import dev.kiln.image.metadef.MetadefNamespace;
import dev.kiln.image.metadef.MetadefNamespaces;
import dev.kiln.image.metadef.MetadefObject;
import dev.kiln.image.metadef.MetadefProperty;
import dev.kiln.image.metadef.MetadefTag;
import dev.kiln.image.metadef.ResourceType;
import dev.kiln.image.metadef.ResourceTypeAssociation;
import java.util.List;

/** Metadata definitions in Glance's JSON; optional members that are unset are left out, as Glance does. */
final class MetadefViews {
  static final String NAMESPACES = "/v2/metadefs/namespaces";

  private MetadefViews() {}

  static ObjectNode namespace(MetadefNamespace n) {
    ObjectNode o = Json.object();
    o.put("namespace", n.namespace());
    putIfSet(o, "display_name", n.displayName());
    putIfSet(o, "description", n.description());
    o.put("visibility", n.visibility());
    o.put("protected", n.protectedNamespace());
    putIfSet(o, "owner", n.owner());
    o.put("created_at", ImageViews.time(n.createdAt()));
    o.put("updated_at", ImageViews.time(n.updatedAt()));
    o.put("self", NAMESPACES + "/" + n.namespace());
    o.put("schema", "/v2/schemas/metadefs/namespace");
    return o;
  }

  static ObjectNode listed(MetadefNamespaces.Listed listed) {
    ObjectNode o = namespace(listed.namespace());
    if (!listed.associations().isEmpty()) {
      ArrayNode a = o.putArray("resource_type_associations");
      listed.associations().forEach(x -> a.add(association(x)));
    }
    return o;
  }

  static ObjectNode detail(MetadefNamespaces.Detail d) {
    ObjectNode o = listed(new MetadefNamespaces.Listed(d.namespace(), d.associations()));
    String ns = d.namespace().namespace();
    if (!d.objects().isEmpty()) {
      ArrayNode a = o.putArray("objects");
      d.objects().forEach(x -> a.add(object(ns, x)));
    }
    if (!d.properties().isEmpty()) {
      o.set("properties", properties(d.properties()));
    }
    if (!d.tags().isEmpty()) {
      ArrayNode a = o.putArray("tags");
      d.tags().forEach(t -> a.addObject().put("name", t.name()));
    }
    return o;
  }

  static ObjectNode object(String namespace, MetadefObject x) {
    ObjectNode o = Json.object();
    o.put("name", x.name());
    putIfSet(o, "description", x.description());
    ArrayNode required = o.putArray("required");
    x.required().forEach(required::add);
    o.set("properties", Json.MAPPER.valueToTree(x.properties()));
    o.put("created_at", ImageViews.time(x.createdAt()));
    o.put("updated_at", ImageViews.time(x.updatedAt()));
    o.put("self", NAMESPACES + "/" + namespace + "/objects/" + x.name());
    o.put("schema", "/v2/schemas/metadefs/object");
    return o;
  }

  static ObjectNode property(MetadefProperty p) {
    ObjectNode o = Json.object();
    o.put("name", p.name());
    o.setAll((ObjectNode) Json.MAPPER.valueToTree(p.definition()));
    return o;
  }

  static ObjectNode properties(List<MetadefProperty> properties) {
    ObjectNode o = Json.object();
    properties.forEach(p -> o.set(p.name(), Json.MAPPER.valueToTree(p.definition())));
    return o;
  }

  static ObjectNode tag(MetadefTag t) {
    ObjectNode o = Json.object();
    o.put("name", t.name());
    o.put("created_at", ImageViews.time(t.createdAt()));
    o.put("updated_at", ImageViews.time(t.updatedAt()));
    return o;
  }

  static ObjectNode association(ResourceTypeAssociation a) {
    ObjectNode o = Json.object();
    o.put("name", a.name());
    putIfSet(o, "prefix", a.prefix());
    putIfSet(o, "properties_target", a.propertiesTarget());
    if (a.createdAt() != null) {
      o.put("created_at", ImageViews.time(a.createdAt()));
      o.put("updated_at", ImageViews.time(a.updatedAt()));
    }
    return o;
  }

  static ObjectNode resourceType(ResourceType r) {
    ObjectNode o = Json.object();
    o.put("name", r.name());
    o.put("created_at", ImageViews.time(r.createdAt()));
    o.put("updated_at", ImageViews.time(r.updatedAt()));
    return o;
  }

  private static void putIfSet(ObjectNode o, String name, String value) {
    if (value != null) {
      o.put(name, value);
    }
  }
}
