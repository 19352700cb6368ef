package dev.kiln.orchestration.resources.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.common.Actor;
import dev.kiln.network.Trunk;
import dev.kiln.network.Trunks;
import dev.kiln.orchestration.resources.Props;
import dev.kiln.orchestration.resources.ResourceContext;
import dev.kiln.orchestration.resources.Schemas;
import dev.kiln.orchestration.template.schema.ResourceSchema;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code OS::Neutron::Trunk}: a parent port carrying subports' networks on VLANs. The parent is
 * immutable; name, description, admin_state_up and the subports change in place, the subports as
 * Heat changes them: the ones no longer wanted are removed before the new ones are added, since a
 * port can be only one subport at a time.
 */
final class TrunkResource extends NeutronResourceType {
  static final String TYPE = "OS::Neutron::Trunk";

  private static final ResourceSchema SCHEMA =
      Schemas.of(
          TYPE,
          "A Neutron trunk: one port (the parent) that carries its own network untagged and each subport's"
              + " network on a VLAN.",
          "9.0.0",
          Props.properties(
              "name", Props.string("Name of the trunk (need not be unique).").updatable(),
              "port",
              Props.string("Name or id of the parent port.").required().immutable().custom("neutron.port"),
              "sub_ports",
              Props.list("The subports: each a port and the VLAN it is presented on.")
                  .item(Props.map(null)
                      .key("port", Props.string("Name or id of the subport's port.").required().custom("neutron.port"))
                      .key("segmentation_type",
                          Props.string("How the subport is segmented (vlan).").required().allowed("vlan"))
                      .key("segmentation_id",
                          Props.integer("The VLAN the subport's network is presented on.").required()
                              .range(1.0, 4094.0)))
                  .updatable(),
              "description", Props.string("Description of the trunk.").updatable(),
              "admin_state_up",
              Props.bool("Whether subports may be added and removed and the trunk deleted.").updatable()),
          Props.attributes("port_id", attr("Id of the parent port.", "string")));

  TrunkResource(Neutron neutron) {
    super(neutron);
  }

  @Override
  public ResourceSchema schema() {
    return SCHEMA;
  }

  @Override
  String kind() {
    return "trunks";
  }

  @Override
  public void create(ResourceContext context) throws Exception {
    Neutron.rememberOwner(context);
    JsonNode props = context.properties();
    Actor owner = context.owner();
    String id = neutron.existing(context, kind());
    if (id == null) {
      Trunks.Spec spec =
          new Trunks.Spec(
              null, name(context), Read.text(props, "description"), Read.bool(props, "admin_state_up"),
              neutron.lookup.id(owner, Lookup.Kind.PORT, Read.text(props, "port")), subPorts(owner, props));
      List<String> tags = Neutron.tagsWithMark(null, context.id());
      id = NeutronErrors.call(() -> neutron.net.trunks().create(owner, spec, tags).id());
    }
    context.physicalId(id);
  }

  @Override
  public void update(ResourceContext context, JsonNode previous) throws Exception {
    JsonNode props = context.properties();
    Actor owner = context.owner();
    String id = context.physicalId();
    Trunks.Spec spec =
        new Trunks.Spec(
            null, Read.changed(previous, props, "name") ? name(context) : null,
            Read.changed(previous, props, "description") ? orEmpty(Read.text(props, "description")) : null,
            Read.changed(previous, props, "admin_state_up") ? Read.bool(props, "admin_state_up") : null, null, null);
    if (!spec.equals(new Trunks.Spec(null, null, null, null, null, null))) {
      NeutronErrors.call(() -> neutron.net.trunks().update(owner, id, spec, null));
    }
    if (Read.changed(previous, props, "sub_ports")) {
      Set<Trunks.SubPortRequest> before = new LinkedHashSet<>(subPorts(owner, previous));
      Set<Trunks.SubPortRequest> after = new LinkedHashSet<>(subPorts(owner, props));
      List<Trunks.SubPortRequest> gone = before.stream().filter(s -> !after.contains(s)).toList();
      List<Trunks.SubPortRequest> added = after.stream().filter(s -> !before.contains(s)).toList();
      Set<String> present = new java.util.HashSet<>();
      neutron.net.trunks().visible(owner, id).subPorts().forEach(s -> present.add(s.portId()));
      // Only what is still there is removed, so a repeat after a crash does not fail on it.
      List<Trunks.SubPortRequest> remove =
          gone.stream().filter(s -> present.contains(s.portId()))
              .map(s -> new Trunks.SubPortRequest(s.portId(), null, null)).toList();
      if (!remove.isEmpty()) {
        NeutronErrors.call(() -> neutron.net.trunks().removeSubPorts(owner, id, remove));
      }
      Set<String> kept = new java.util.HashSet<>(present);
      remove.forEach(s -> kept.remove(s.portId()));
      List<Trunks.SubPortRequest> add = added.stream().filter(s -> !kept.contains(s.portId())).toList();
      if (!add.isEmpty()) {
        NeutronErrors.call(() -> neutron.net.trunks().addSubPorts(owner, id, add));
      }
    }
  }

  private static String orEmpty(String text) {
    return text == null ? "" : text;
  }

  private List<Trunks.SubPortRequest> subPorts(Actor owner, JsonNode props) throws Exception {
    JsonNode entries = Read.node(props, "sub_ports");
    List<Trunks.SubPortRequest> out = new ArrayList<>();
    if (entries == null) {
      return out;
    }
    for (JsonNode entry : entries) {
      out.add(new Trunks.SubPortRequest(
          neutron.lookup.id(owner, Lookup.Kind.PORT, Read.text(entry, "port")), Read.text(entry, "segmentation_type"),
          Read.integer(entry, "segmentation_id")));
    }
    return out;
  }

  @Override
  ObjectNode show(Actor actor, String id) {
    Trunk t = neutron.net.trunks().visible(actor, id);
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("id", t.id());
    o.put("name", t.name());
    o.put("description", t.description());
    o.put("tenant_id", t.projectId());
    o.put("project_id", t.projectId());
    o.put("admin_state_up", t.adminStateUp());
    o.put("port_id", t.portId());
    o.put("status", t.status());
    ArrayNode subs = o.putArray("sub_ports");
    t.subPorts().forEach(s -> subs.addObject()
        .put("port_id", s.portId()).put("segmentation_type", s.segmentationType())
        .put("segmentation_id", s.segmentationId()));
    o.put("revision_number", t.revision());
    o.put("created_at", t.createdAt().toString());
    o.put("updated_at", t.updatedAt() == null ? null : t.updatedAt().toString());
    ArrayNode tags = o.putArray("tags");
    tags(id).forEach(tags::add);
    return o;
  }

  @Override
  void remove(Actor actor, String id) {
    neutron.net.trunks().delete(actor, id);
  }
}
