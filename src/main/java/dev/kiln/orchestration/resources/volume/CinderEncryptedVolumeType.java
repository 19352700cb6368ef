package dev.kiln.orchestration.resources.volume;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.common.ServiceException;
import dev.kiln.orchestration.resources.Cloud;
import dev.kiln.orchestration.resources.NestedStacks;
import dev.kiln.orchestration.resources.Props;
import dev.kiln.orchestration.resources.ResourceContext;
import dev.kiln.orchestration.resources.ResourceError;
import dev.kiln.orchestration.resources.ResourceState;
import dev.kiln.orchestration.resources.ResourceType;
import dev.kiln.orchestration.resources.Schemas;
import dev.kiln.orchestration.template.schema.ResourceSchema;
import dev.kiln.volume.VolumeTypeEncryption;
import dev.kiln.volume.VolumeTypeEncryptions;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code OS::Cinder::EncryptedVolumeType}: the encryption of a volume type, made as the stack owner
 * (Block Storage lets only admins). Its physical id is the volume type's id, as Heat's is; every
 * property but the type updates in place.
 */
public final class CinderEncryptedVolumeType implements ResourceType {
  public static final String TYPE = "OS::Cinder::EncryptedVolumeType";
  /** Set in the resource's data once a create has asked for the encryption (a retry adopts it). */
  private static final String ASKED_KEY = "encryption_asked";
  private static final ResourceSchema SCHEMA =
      Schemas.of(
          TYPE,
          "Encryption of a volume type: which encryptor, cipher and key size protect the volumes made with it."
              + " Block Storage lets only administrators set it.",
          "5.0.0",
          Props.properties(
              "provider",
              Props.string("The encryptor's class, e.g. nova.volume.encryptors.luks.LuksEncryptor (or luks).")
                  .required().updatable(),
              "control_location",
              Props.string("Where encryption happens: front-end (Compute) or back-end (the storage).")
                  .allowed("front-end", "back-end").defaultValue("front-end").updatable(),
              "cipher",
              Props.string("The cipher and mode, e.g. aes-xts-plain64.")
                  .allowed("aes-xts-plain64", "aes-cbc-essiv").updatable(),
              "key_size", Props.integer("The key's size in bits, e.g. 256.").updatable(),
              "volume_type",
              Props.string("Name or id of the volume type to encrypt (an OS::Cinder::VolumeType).")
                  .required().custom("cinder.vtype")),
          Map.of());

  private final Cloud cloud;

  public CinderEncryptedVolumeType(Cloud cloud) {
    this.cloud = requireNonNull(cloud, "cloud is null");
  }

  @Override
  public ResourceSchema schema() {
    return SCHEMA;
  }

  @Override
  public void create(ResourceContext context) throws Exception {
    JsonNode props = context.properties();
    String typeId = cloud.volume().types().resolve(context.owner(), props.path("volume_type").asText()).id();
    boolean retry = context.data().path(ASKED_KEY).asBoolean(false);
    context.data().put(ASKED_KEY, true);
    if (!(retry && encryption().show(context.owner(), typeId).isPresent())) {
      encryption().create(
          context.owner(), typeId,
          new VolumeTypeEncryptions.Spec(
              text(props, "provider"), text(props, "cipher"), false, integer(props, "key_size"), false,
              text(props, "control_location")));
    }
    context.physicalId(typeId);
  }

  @Override
  public void update(ResourceContext context, JsonNode previous) throws Exception {
    JsonNode next = context.properties();
    boolean cipherGone = changed(previous, next, "cipher") && text(next, "cipher") == null;
    boolean keySizeGone = changed(previous, next, "key_size") && integer(next, "key_size") == null;
    VolumeTypeEncryptions.Spec changes =
        new VolumeTypeEncryptions.Spec(
            changed(previous, next, "provider") ? text(next, "provider") : null,
            changed(previous, next, "cipher") ? text(next, "cipher") : null, cipherGone,
            changed(previous, next, "key_size") ? integer(next, "key_size") : null, keySizeGone,
            changed(previous, next, "control_location") ? text(next, "control_location") : null);
    if (!changes.equals(new VolumeTypeEncryptions.Spec(null, null, false, null, false, null))) {
      encryption().update(context.owner(), context.physicalId(), changes);
    }
  }

  @Override
  public void delete(ResourceContext context) throws Exception {
    if (context.physicalId() == null) {
      return; // never made: a create that failed before it asked has nothing to remove
    }
    try {
      encryption().delete(context.owner(), context.physicalId());
    } catch (ServiceException e) {
      if (e.kind() != ServiceException.Kind.NOT_FOUND) {
        throw e;
      }
    }
  }

  @Override
  public void check(ResourceContext context) throws Exception {
    ResourceType.super.check(context);
    boolean found;
    try {
      found = encryption().show(context.owner(), context.physicalId()).isPresent();
    } catch (ServiceException e) {
      if (e.kind() != ServiceException.Kind.NOT_FOUND) {
        throw e;
      }
      found = false;
    }
    if (!found) {
      throw new ResourceError("EntityNotFound", "The Resource (" + context.physicalId() + ") could not be found.");
    }
  }

  @Override
  public JsonNode attribute(ResourceState resource, String name, NestedStacks nested) {
    if (!name.equals("show") || resource.physicalId() == null) {
      return NullNode.instance;
    }
    // Heat shows what Block Storage shows, read as an admin would (the type is an admin's thing).
    Optional<VolumeTypeEncryption> found =
        encryption().show(new dev.kiln.common.Actor(null, null, true), resource.physicalId());
    if (found.isEmpty()) {
      return NullNode.instance;
    }
    VolumeTypeEncryption e = found.get();
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("volume_type_id", e.volumeTypeId());
    o.put("encryption_id", e.encryptionId());
    o.put("provider", e.provider());
    o.put("cipher", e.cipher());
    if (e.keySize() == null) {
      o.putNull("key_size");
    } else {
      o.put("key_size", e.keySize());
    }
    o.put("control_location", e.controlLocation());
    return o;
  }

  private VolumeTypeEncryptions encryption() {
    return cloud.volume().types().encryption();
  }

  private static boolean changed(JsonNode previous, JsonNode next, String name) {
    return !Objects.equals(previous == null ? null : previous.get(name), next.get(name));
  }

  private static String text(JsonNode props, String name) {
    JsonNode value = props.get(name);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static Integer integer(JsonNode props, String name) {
    JsonNode value = props.get(name);
    return value == null || value.isNull() ? null : value.asInt();
  }
}
