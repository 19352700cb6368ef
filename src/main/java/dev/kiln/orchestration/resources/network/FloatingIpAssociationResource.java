package dev.kiln.orchestration.resources.network;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;
import dev.kiln.network.FloatingIp;
import dev.kiln.network.FloatingIps;
import dev.kiln.orchestration.resources.Props;
import dev.kiln.orchestration.resources.ResourceContext;
import dev.kiln.orchestration.resources.ResourceError;
import dev.kiln.orchestration.resources.ResourceType;
import dev.kiln.orchestration.resources.Schemas;
import dev.kiln.orchestration.template.schema.ResourceSchema;
import java.util.Objects;
import java.util.Set;

/**
 * {@code OS::Neutron::FloatingIPAssociation}: maps an existing floating IP to a port. Every
 * property changes in place: another port moves the mapping, another floating IP releases the old
 * one first. It holds its floating IP ({@code floatingip:<id>}), so a stack update that moves a
 * floating IP from one association to another releases it before taking it.
 */
final class FloatingIpAssociationResource implements ResourceType {
  static final String TYPE = "OS::Neutron::FloatingIPAssociation";

  private static final ResourceSchema SCHEMA =
      Schemas.of(
          TYPE,
          "Maps a Neutron floating IP to a port's fixed address.",
          "2013.1",
          Props.properties(
              "floatingip_id", Props.string("Id of the floating IP.").required().updatable(),
              "port_id",
              Props.string("Id of a port with at least one address to map the floating IP to.").required().updatable()
                  .custom("neutron.port"),
              "fixed_ip_address",
              Props.string("The port's address to map to, when it has several.").updatable().custom("ip_addr")),
          Props.attributes());

  private final Neutron neutron;

  FloatingIpAssociationResource(Neutron neutron) {
    this.neutron = requireNonNull(neutron, "neutron is null");
  }

  @Override
  public ResourceSchema schema() {
    return SCHEMA;
  }

  @Override
  public Set<String> claims(JsonNode properties) {
    String fip = Read.text(properties, "floatingip_id");
    return fip == null ? Set.of() : Set.of("floatingip:" + fip);
  }

  /** Heat's implicit dependencies of this type: see {@link NeutronDependencies}. */
  @Override
  public java.util.Set<String> implicitDependencies(
      dev.kiln.orchestration.template.TemplateResource resource,
      java.util.List<dev.kiln.orchestration.template.TemplateResource> all) {
    return NeutronDependencies.ofFloatingIpAssociation(resource, all);
  }

  @Override
  public void create(ResourceContext context) throws Exception {
    associate(context.owner(), context.properties());
    // Heat's physical id for an association is the resource's own id.
    context.physicalId(context.id());
  }

  private void associate(Actor owner, JsonNode props) throws ResourceError {
    FloatingIps.Change change =
        new FloatingIps.Change(true, Read.text(props, "port_id"), Read.text(props, "fixed_ip_address"), null);
    NeutronErrors.call(() -> neutron.net.floatingIps().update(owner, Read.text(props, "floatingip_id"), change, null));
  }

  @Override
  public void update(ResourceContext context, JsonNode previous) throws Exception {
    Actor owner = context.owner();
    if (Read.changed(previous, context.properties(), "floatingip_id")) {
      disassociate(owner, previous);
    }
    associate(owner, context.properties());
  }

  /**
   * Takes the floating IP off the port, if it is still on the one these properties name (what an
   * interrupted create may have made too); gone already is fine.
   */
  private void disassociate(Actor owner, JsonNode props) throws ResourceError {
    String fipId = Read.text(props, "floatingip_id");
    if (fipId == null) {
      return;
    }
    try {
      FloatingIp fip = neutron.net.floatingIps().visible(owner, fipId);
      if (fip.portId() != null && Objects.equals(fip.portId(), Read.text(props, "port_id"))) {
        neutron.net.floatingIps().update(owner, fipId, new FloatingIps.Change(true, null, null, null), null);
      }
    } catch (ServiceException e) {
      if (!NeutronErrors.notFound(e)) {
        throw NeutronErrors.of(e);
      }
    }
  }

  @Override
  public void delete(ResourceContext context) throws Exception {
    disassociate(context.owner(), context.properties());
  }

  @Override
  public void check(ResourceContext context) throws Exception {
    if (context.physicalId() == null) {
      throw new ResourceError("Error", "Resource not created");
    }
    NeutronErrors.call(() -> neutron.net.floatingIps().visible(context.owner(), Read.text(context.properties(), "floatingip_id")));
  }
}
