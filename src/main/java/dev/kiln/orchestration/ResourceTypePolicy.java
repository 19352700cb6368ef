package dev.kiln.orchestration;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;
import java.util.Set;

/**
 * Heat's {@code resource_types:} policy as it ships: the types that act on the cloud as a whole
 * (flavors, volume types, quotas, provider networks, QoS, segments, host aggregates, every
 * {@code OS::Keystone::*} type…) are for project admins only. Others may not create, update,
 * preview or validate a template that uses one (403 before anything is stored), nor see them in
 * the resource type list or show their schema. The check is on the type as the template names it,
 * as Heat's is, whatever the environment maps it to.
 */
public final class ResourceTypePolicy {
  private static final Set<String> ADMIN_ONLY =
      Set.of(
          "OS::Nova::Flavor", "OS::Cinder::EncryptedVolumeType", "OS::Cinder::VolumeType", "OS::Cinder::Quota",
          "OS::Neutron::Quota", "OS::Nova::Quota", "OS::Octavia::Quota", "OS::Manila::ShareType",
          "OS::Neutron::ProviderNet", "OS::Neutron::QoSPolicy", "OS::Neutron::QoSBandwidthLimitRule",
          "OS::Neutron::QoSDscpMarkingRule", "OS::Neutron::QoSMinimumBandwidthRule",
          "OS::Neutron::QoSMinimumPacketRateRule", "OS::Neutron::Segment", "OS::Nova::HostAggregate",
          "OS::Cinder::QoSSpecs", "OS::Cinder::QoSAssociation", "OS::Blazar::Host", "OS::Octavia::Flavor",
          "OS::Octavia::FlavorProfile");
  /** Families whose every type is admin-only (Heat's {@code OS::Keystone::*} rule). */
  private static final Set<String> ADMIN_ONLY_FAMILIES = Set.of("OS::Keystone");

  private ResourceTypePolicy() {}

  /** Whether {@code actor} may use (and see) the type named {@code type}. */
  public static boolean allowed(Actor actor, String type) {
    if (actor.admin() || type == null) {
      return true;
    }
    if (ADMIN_ONLY.contains(type)) {
      return false;
    }
    int last = type.lastIndexOf("::");
    return last < 0 || !ADMIN_ONLY_FAMILIES.contains(type.substring(0, last));
  }

  /** Refuses, with Heat's 403, the first type {@code actor} may not use. */
  public static void enforce(Actor actor, Iterable<String> types) {
    for (String type : types) {
      if (!allowed(actor, type)) {
        throw forbidden(type);
      }
    }
  }

  /** Refuses the first resource of a template (HOT or CFN, as JSON) whose type the actor may not use. */
  public static void enforceTemplate(Actor actor, JsonNode template) {
    if (actor.admin() || template == null) {
      return;
    }
    JsonNode resources = template.has("resources") ? template.get("resources") : template.path("Resources");
    if (!resources.isObject()) {
      return;
    }
    for (JsonNode resource : resources) {
      JsonNode type = resource.has("type") ? resource.get("type") : resource.get("Type");
      if (type != null && type.isTextual() && !allowed(actor, type.textValue())) {
        throw forbidden(type.textValue());
      }
    }
  }

  public static ServiceException forbidden(String type) {
    return ServiceException.forbidden("Forbidden", "You are not authorized to use " + type + ".");
  }
}
