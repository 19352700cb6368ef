package dev.kiln.orchestration.resources.network;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;
import dev.kiln.orchestration.resources.NestedStacks;
import dev.kiln.orchestration.resources.ResourceContext;
import dev.kiln.orchestration.resources.ResourceError;
import dev.kiln.orchestration.resources.ResourceState;
import dev.kiln.orchestration.resources.ResourceType;
import dev.kiln.orchestration.template.schema.AttributeSchema;
import dev.kiln.orchestration.template.schema.SupportStatus;
import java.util.List;

/**
 * What Heat's {@code NeutronResource} gives every Networking type: delete that succeeds when the
 * thing is gone (and finds what an interrupted create made), check that it still exists, and
 * attributes read from the resource as Neutron shows it to the stack owner.
 */
abstract class NeutronResourceType implements ResourceType {
  final Neutron neutron;

  NeutronResourceType(Neutron neutron) {
    this.neutron = requireNonNull(neutron, "neutron is null");
  }

  /** The collection whose tags carry this type's mark ({@code networks}, …), or null for none. */
  abstract String kind();

  /** The resource as Neutron shows it to {@code actor}; a ServiceException NOT_FOUND when gone. */
  abstract ObjectNode show(Actor actor, String id);

  /** Deletes the resource; a ServiceException NOT_FOUND when it is already gone. */
  abstract void remove(Actor actor, String id);

  @Override
  public void delete(ResourceContext context) throws Exception {
    String id = neutron.existing(context, kind());
    if (id != null) {
      NeutronErrors.removing(() -> remove(context.owner(), id));
    }
  }

  @Override
  public void check(ResourceContext context) throws Exception {
    if (context.physicalId() == null) {
      throw new ResourceError("Error", "Resource not created");
    }
    NeutronErrors.call(() -> show(context.owner(), context.physicalId()));
  }

  @Override
  public JsonNode attribute(ResourceState resource, String name, NestedStacks nested) throws Exception {
    if (resource.physicalId() == null) {
      return NullNode.instance;
    }
    Actor owner = Neutron.owner(resource);
    ObjectNode shown;
    try {
      shown = show(owner, resource.physicalId());
    } catch (ServiceException e) {
      if (NeutronErrors.notFound(e)) {
        return NullNode.instance;
      }
      throw e;
    }
    if (name.equals("show")) {
      return shown;
    }
    JsonNode value = attribute(owner, shown, name);
    return value == null ? NullNode.instance : value;
  }

  /** One attribute from the resource as shown; by default the field of that name. */
  JsonNode attribute(Actor owner, ObjectNode shown, String name) {
    return shown.get(name);
  }

  /** The tags a resource of this type has, for its view. */
  List<String> tags(String id) {
    return neutron.net.tags().of(id);
  }

  /** Replaces the resource's tags with the user's (none for null) and its mark. */
  void setTags(ResourceContext context, String id, List<String> userTags) throws ResourceError {
    NeutronErrors.call(() -> neutron.net.tags().replace(context.owner(), kind(), id, Neutron.tagsWithMark(userTags, context.id())));
  }

  /** The name Heat gives: the property, else the physical resource name. */
  static String name(ResourceContext context) {
    String name = Read.text(context.properties(), "name");
    return name != null ? name : context.physicalName();
  }

  static AttributeSchema attr(String description, String type) {
    return new AttributeSchema(description, type, SupportStatus.SUPPORTED);
  }

  static AttributeSchema attr(String description, String type, String since) {
    return new AttributeSchema(description, type, new SupportStatus("SUPPORTED", since, null));
  }
}
