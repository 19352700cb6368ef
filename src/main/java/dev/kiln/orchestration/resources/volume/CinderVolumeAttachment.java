package dev.kiln.orchestration.resources.volume;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;
import dev.kiln.compute.attach.ServerVolumeAttachments;
import dev.kiln.compute.servers.BlockDevice;
import dev.kiln.orchestration.resources.Cloud;
import dev.kiln.orchestration.resources.Props;
import dev.kiln.orchestration.resources.ResourceContext;
import dev.kiln.orchestration.resources.ResourceError;
import dev.kiln.orchestration.resources.ResourceType;
import dev.kiln.orchestration.resources.Schemas;
import dev.kiln.orchestration.template.schema.ResourceSchema;
import dev.kiln.volume.Volume;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code OS::Cinder::VolumeAttachment}: a volume attached to a server through Compute's volume
 * attachments, exactly as {@code openstack server add volume} does (Compute reserves and connects
 * the Block Storage attachment). Its physical id is the volume's id, as Nova names a volume
 * attachment.
 *
 * <p>Every property updates in place. A new {@code instance_uuid} or {@code volume_id} moves the
 * attachment: the old volume is detached from the old server (and the detach has finished in both
 * Compute and Block Storage) before the new one is attached, so a volume that is not multiattach is
 * never attached twice. The attachment claims {@code volume:<id>}, so within one stack update the
 * engine runs a step that lets a volume go before one that takes it.
 */
public final class CinderVolumeAttachment implements ResourceType {
  public static final String TYPE = "OS::Cinder::VolumeAttachment";
  private static final ResourceSchema SCHEMA =
      Schemas.of(
          TYPE,
          "Attaches an existing volume to a server, optionally at a given device path.",
          null,
          Props.properties(
              "instance_uuid", Props.string("The server to attach the volume to.").required().updatable(),
              "volume_id",
              Props.string("The volume to attach.").required().updatable().custom("cinder.volume"),
              "mountpoint",
              Props.string(
                      "The device path the volume should show as on the server (e.g. /dev/vdb). The guest may"
                          + " name it differently; /dev/disk/by-id/virtio-<volume id> is reliable.")
                  .updatable()),
          Map.of());

  private final Cloud cloud;

  public CinderVolumeAttachment(Cloud cloud) {
    this.cloud = requireNonNull(cloud, "cloud is null");
  }

  @Override
  public ResourceSchema schema() {
    return SCHEMA;
  }

  @Override
  public Set<String> claims(JsonNode properties) {
    JsonNode volume = properties == null ? null : properties.get("volume_id");
    return volume != null && volume.isTextual() ? Set.of("volume:" + volume.asText()) : Set.of();
  }

  @Override
  public void create(ResourceContext context) throws Exception {
    Target target = Target.of(context.properties());
    attach(context, target);
  }

  @Override
  public void update(ResourceContext context, JsonNode previous) throws Exception {
    Target from = Target.of(previous);
    Target to = Target.of(context.properties());
    if (from.equals(to)) {
      return;
    }
    // As Heat does: detach first (even for a new mountpoint only), then attach where asked. A
    // repeated update finds the detach done and the attach made, and only waits.
    detach(context, from);
    attach(context, to);
  }

  @Override
  public void delete(ResourceContext context) throws Exception {
    if (context.properties() == null || !context.properties().hasNonNull("instance_uuid")) {
      return; // never got as far as being asked for
    }
    detach(context, Target.of(context.properties()));
  }

  @Override
  public void check(ResourceContext context) throws Exception {
    ResourceType.super.check(context);
    Target target = Target.of(context.properties());
    Optional<BlockDevice> mapping = mapping(context.owner(), target);
    if (mapping.isEmpty() || mapping.get().state() != BlockDevice.State.ATTACHED) {
      throw new ResourceError(
          "Error",
          "'attachment': expected 'attached', got '"
              + mapping.map(m -> m.state().name().toLowerCase(java.util.Locale.ROOT)).orElse("detached") + "'");
    }
  }

  private void attach(ResourceContext context, Target target) throws Exception {
    Actor owner = context.owner();
    // Whether this attempt asked Compute for the attach. An attempt repeated after a crash finds
    // the mapping the earlier one asked for; if the node that was attaching it died, Compute rolls
    // it back, and then this attempt asks again rather than calling the attach failed.
    java.util.concurrent.atomic.AtomicBoolean asked = new java.util.concurrent.atomic.AtomicBoolean();
    if (mapping(owner, target).isEmpty()) {
      attachments().attach(owner, target.server(), target.volume(), target.device(), null, false, true);
      asked.set(true);
    }
    context.physicalId(target.volume());
    Waits.until(
        context,
        target.server(),
        "volume " + target.volume() + " to attach to server " + target.server(),
        () -> {
          Optional<BlockDevice> mapping = mapping(owner, target);
          if (mapping.isEmpty() && !asked.get()) {
            try {
              attachments().attach(owner, target.server(), target.volume(), target.device(), null, false, true);
              asked.set(true);
            } catch (ServiceException e) {
              if (e.kind() != ServiceException.Kind.INVALID && e.kind() != ServiceException.Kind.CONFLICT) {
                throw e; // otherwise the roll-back of the earlier attach is not done yet: look again
              }
            }
            return Optional.empty();
          }
          if (mapping.isEmpty() || mapping.get().state() == BlockDevice.State.DETACHING) {
            // Compute rolled the attach back (the hypervisor refused), or something detached it.
            String status = volume(owner, target.volume()).map(Volume::status).orElse("deleted");
            throw new ResourceError(
                "ResourceUnknownStatus",
                "Volume attachment failed - Unknown status " + status + " due to \"Unknown\"");
          }
          return mapping.get().state() == BlockDevice.State.ATTACHED ? Optional.of(true) : Optional.empty();
        });
  }

  /**
   * Detaches and waits until Compute has dropped the mapping and Block Storage the attachment, so
   * the volume can be attached elsewhere at once. Gone already (server, volume or mapping) is done.
   */
  private void detach(ResourceContext context, Target target) throws Exception {
    Actor owner = context.owner();
    Waits.until(
        context,
        target.server(),
        "volume " + target.volume() + " to detach from server " + target.server(),
        () -> {
          Optional<BlockDevice> mapping = mapping(owner, target);
          if (mapping.isPresent()) {
            if (mapping.get().state() == BlockDevice.State.ATTACHED) {
              try {
                attachments().detach(owner, target.server(), target.volume());
              } catch (ServiceException e) {
                if (e.kind() != ServiceException.Kind.INVALID || !"InvalidVolume".equals(e.type())) {
                  throw e; // InvalidVolume: it started detaching or is still attaching; look again
                }
              }
            }
            return Optional.empty();
          }
          boolean released =
              volume(owner, target.volume())
                  .map(v -> v.attachments().stream().noneMatch(a -> target.server().equals(a.instanceUuid())))
                  .orElse(true);
          return released ? Optional.of(true) : Optional.empty();
        });
  }

  private ServerVolumeAttachments attachments() {
    return cloud.servers().volumeAttachments();
  }

  /** Compute's mapping of the volume on the server, if the server and the mapping exist. */
  private Optional<BlockDevice> mapping(Actor owner, Target target) {
    try {
      return Optional.of(attachments().show(owner, target.server(), target.volume()));
    } catch (ServiceException e) {
      if (e.kind() == ServiceException.Kind.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private Optional<Volume> volume(Actor owner, String id) {
    try {
      return Optional.of(cloud.volume().volumes().visible(owner, id));
    } catch (ServiceException e) {
      if (e.kind() == ServiceException.Kind.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** Where the attachment is: server, volume, and the device asked for (null for the next free one). */
  private record Target(String server, String volume, String device) {
    static Target of(JsonNode props) {
      JsonNode device = props.get("mountpoint");
      return new Target(
          props.path("instance_uuid").asText(),
          props.path("volume_id").asText(),
          device == null || device.isNull() || device.asText().isEmpty() ? null : device.asText());
    }

  }
}
