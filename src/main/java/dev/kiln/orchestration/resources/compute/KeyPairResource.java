package dev.kiln.orchestration.resources.compute;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.kiln.common.ServiceException;
import dev.kiln.compute.catalog.Keypair;
import dev.kiln.compute.catalog.Keypairs;
import dev.kiln.orchestration.resources.Cloud;
import dev.kiln.orchestration.resources.NestedStacks;
import dev.kiln.orchestration.resources.Props;
import dev.kiln.orchestration.resources.ResourceContext;
import dev.kiln.orchestration.resources.ResourceState;
import dev.kiln.orchestration.resources.ResourceType;
import dev.kiln.orchestration.template.schema.Constraint;
import dev.kiln.orchestration.template.schema.ResourceSchema;
import java.util.Optional;

/**
 * {@code OS::Nova::KeyPair}: a keypair of the stack owner (or, for an admin, of {@code user}),
 * imported from {@code public_key} or generated; a generated private key is kept in the resource's
 * data when {@code save_private_key} asks for it. The physical id is the keypair's name, as Nova's.
 * A create repeated after a crash adopts a keypair of that name holding the same public key.
 */
final class KeyPairResource implements ResourceType {
  static final String TYPE = "OS::Nova::KeyPair";
  private static final ResourceSchema SCHEMA =
      TypeSchemas.of(
          TYPE,
          "A Compute keypair whose public key servers get at boot: imported from public_key, or generated.",
          "2014.1",
          Props.properties(
              "name", Props.string("The keypair's name.").required().constraint(new Constraint.Length(1, 255, null)),
              "save_private_key",
              Props.bool("Whether to keep a generated private key, for the private_key attribute.").defaultValue(false),
              "public_key", Props.string("A public key to import; a new keypair is generated when not given."),
              "type", Props.string("The keypair's type.").allowed("ssh", "x509").since("8.0.0"),
              "user",
              Props.string("Id of the user the keypair is for (administrators only).").custom("keystone.user")
                  .since("9.0.0")),
          Props.attributes(
              "public_key", Props.attribute("The public key.", "string"),
              "private_key", Props.attribute("The private key, if it was generated and saved.", "string")));

  private final Cloud cloud;

  KeyPairResource(Cloud cloud) {
    this.cloud = requireNonNull(cloud, "cloud is null");
  }

  @Override
  public ResourceSchema schema() {
    return SCHEMA;
  }

  private Keypairs keypairs() {
    return cloud.compute().keypairs();
  }

  @Override
  public void create(ResourceContext context) {
    JsonNode p = context.properties();
    String name = p.path("name").asText();
    String publicKey = ServerProps.text(p, "public_key");
    String type = ServerProps.text(p, "type");
    String user = ServerProps.text(p, "user");
    String owner = user != null ? user : context.owner().userId();
    if (publicKey != null) {
      Optional<Keypair> earlier = keypairs().find(owner, name).filter(k -> k.publicKey().strip().equals(publicKey.strip()));
      if (earlier.isEmpty()) {
        keypairs().importKey(context.owner(), user, name, publicKey, type);
      }
    } else {
      Keypairs.Created made = keypairs().generate(context.owner(), user, name, type);
      if (p.path("save_private_key").asBoolean(false)) {
        context.data().put("private_key", made.privateKey());
      }
    }
    context.data().put("user_id", owner);
    context.physicalId(name);
  }

  @Override
  public void delete(ResourceContext context) {
    if (context.physicalId() == null) {
      return; // a keypair made by a create whose outcome was lost cannot be told from the user's own
    }
    String user = context.data().path("user_id").asText(null);
    try {
      keypairs().delete(context.owner(), user != null && !user.equals(context.owner().userId()) ? user : null, context.physicalId());
    } catch (ServiceException e) {
      if (e.kind() != ServiceException.Kind.NOT_FOUND) {
        throw e;
      }
    }
  }

  @Override
  public void check(ResourceContext context) throws Exception {
    ResourceType.super.check(context);
    String user = context.data().path("user_id").asText(null);
    keypairs().get(context.owner(), user != null && !user.equals(context.owner().userId()) ? user : null, context.physicalId());
  }

  @Override
  public JsonNode attribute(ResourceState resource, String name, NestedStacks nested) {
    if (resource.physicalId() == null) {
      return NullNode.instance;
    }
    return switch (name) {
      case "private_key" ->
          JsonNodeFactory.instance.textNode(
              resource.properties() != null && resource.properties().path("save_private_key").asBoolean(false)
                  ? resource.data().path("private_key").asText("") : "");
      case "public_key" -> {
        String user = resource.data().path("user_id").asText(null);
        yield keypairs().find(user, resource.physicalId())
            .<JsonNode>map(k -> JsonNodeFactory.instance.textNode(k.publicKey()))
            .orElse(NullNode.instance);
      }
      case "show" -> {
        String user = resource.data().path("user_id").asText(null);
        yield keypairs().find(user, resource.physicalId())
            .<JsonNode>map(k -> JsonNodeFactory.instance.objectNode()
                .put("name", k.name()).put("public_key", k.publicKey()).put("fingerprint", k.fingerprint())
                .put("type", k.type()).put("user_id", k.userId()).put("id", k.id()))
            .orElse(NullNode.instance);
      }
      default -> NullNode.instance;
    };
  }
}
