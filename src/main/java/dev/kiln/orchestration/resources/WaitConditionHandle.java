package dev.kiln.orchestration.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.kiln.common.ServiceException;
import dev.kiln.orchestration.template.schema.ResourceSchema;
import java.util.HexFormat;
import java.util.List;

/**
 * {@code OS::Heat::WaitConditionHandle} (and, with {@link #updating}, {@code
 * OS::Heat::UpdateWaitConditionHandle}): a handle that takes signals {@code {"status": "SUCCESS" |
 * "FAILURE", "reason", "data", "id"}}, which a WaitCondition counts.
 *
 * <p>Signals reach it through {@code OrchestrationService.signal} (the API's resource signal). Its
 * {@code token} is a secret made from the resource's seeded randomness and recorded in its data;
 * the API may accept it as the credential of a signal to {@code endpoint} (Heat issues a Keystone
 * token for a stack user instead; Kiln has no stack users yet).
 */
public final class WaitConditionHandle implements ResourceType {
  public static final String TYPE = "OS::Heat::WaitConditionHandle";
  public static final String UPDATE_TYPE = "OS::Heat::UpdateWaitConditionHandle";
  private static final List<String> STATUSES = List.of("SUCCESS", "FAILURE");

  private final ResourceSchema schema;
  private final Tokens tokens;

  /**
   * Where a handle's {@code token} comes from. Heat's is a Keystone token of a stack user made for
   * the handle (so a script's curl passes any Keystone check); without a cloud (the engine alone)
   * it is a secret of the handle's own.
   */
  public interface Tokens {
    /** The token for this handle's signals (idempotent: a repeated create gets a working one). */
    String issue(ResourceContext context) throws Exception;

    /** The URL the token signals to: the resource's signal URL, as the token's project sees it. */
    default String endpoint(ResourceContext context) {
      return context.signalUrl();
    }

    /** Removes what {@link #issue} made; nothing when it is already gone. */
    default void release(ResourceContext context) throws Exception {}
  }

  /** A secret from the row's seeded randomness: the same on every attempt of a create. */
  public static final Tokens SECRETS = context -> {
    byte[] secret = new byte[16];
    for (int i = 0; i < secret.length; i++) {
      secret[i] = (byte) context.random().nextInt(256);
    }
    return HexFormat.of().formatHex(secret);
  };

  private WaitConditionHandle(ResourceSchema schema, Tokens tokens) {
    this.schema = schema;
    this.tokens = java.util.Objects.requireNonNull(tokens, "tokens is null");
  }

  private WaitConditionHandle(ResourceSchema schema) {
    this(schema, SECRETS);
  }

  /** The same handle with its tokens from {@code tokens}. */
  public WaitConditionHandle withTokens(Tokens tokens) {
    return new WaitConditionHandle(schema, tokens);
  }

  public static WaitConditionHandle plain() {
    return new WaitConditionHandle(
        Schemas.of(
            TYPE,
            "Receives signals from servers or scripts (an authenticated POST to its endpoint) for a wait condition.",
            "2014.2",
            Props.properties(
                "signal_transport",
                Props.string("How the client will signal the wait condition. Kiln signals through the"
                        + " orchestration API with a token (TOKEN_SIGNAL).")
                    .allowed("CFN_SIGNAL", "TEMP_URL_SIGNAL", "HEAT_SIGNAL", "NO_SIGNAL", "ZAQAR_SIGNAL",
                        "TOKEN_SIGNAL")
                    .defaultValue("TOKEN_SIGNAL")
                    .since("6.0.0")),
            attributes()));
  }

  /** Heat's UpdateWaitConditionHandle: like the handle, replaced on every stack update. */
  public static WaitConditionHandle updating() {
    return new WaitConditionHandle(
        Schemas.of(
            UPDATE_TYPE,
            "A wait condition handle whose signals are forgotten on every stack update, so the wait starts over.",
            "2014.1",
            java.util.Map.of(),
            attributes()));
  }

  private static java.util.Map<String, dev.kiln.orchestration.template.schema.AttributeSchema> attributes() {
    return Props.attributes(
        "token", Props.attribute("The token to send with a signal.", "string"),
        "endpoint", Props.attribute("The URL to POST a signal to.", "string"),
        "curl_cli", Props.attribute("A curl command, token included, that signals the handle; add the JSON body with --data.", "string"),
        "signal", Props.attribute("The endpoint and token, as one JSON object, for a client that signals the handle.", "string"));
  }

  @Override
  public ResourceSchema schema() {
    return schema;
  }

  /** Whatever the spelling, a handle takes every property as given (its only one is informational). */
  @Override
  public void create(ResourceContext context) throws Exception {
    context.data().put("endpoint", tokens.endpoint(context));
    context.data().put("token", tokens.issue(context));
    context.physicalId(context.physicalName());
  }

  @Override
  public void delete(ResourceContext context) throws Exception {
    tokens.release(context);
  }

  @Override
  public boolean signalable() {
    return true;
  }

  @Override
  public String signal(ResourceState resource, JsonNode details) {
    if (details != null && !details.isNull() && !details.isObject()) {
      throw ServiceException.invalid("ValueError", "Metadata format invalid");
    }
    String status = details == null ? "SUCCESS" : details.path("status").asText("SUCCESS");
    if (!STATUSES.contains(status)) {
      throw ServiceException.invalid("ValueError", "Metadata format invalid");
    }
    // The event's reason as Heat words it: the status and reason the handle recorded.
    String reason =
        details != null && details.hasNonNull("reason")
            ? details.get("reason").asText()
            : "Signal " + (signals(resource).size() + 1) + " received";
    return "Signal: status:" + status + " reason:" + reason;
  }

  @Override
  public JsonNode attribute(ResourceState resource, String name, NestedStacks nested) {
    if (resource.physicalId() == null) {
      return NullNode.instance;
    }
    String token = resource.data().path("token").asText(null);
    String endpoint = resource.data().path("endpoint").asText(null);
    return switch (name) {
      case "token" -> token == null ? NullNode.instance : TextNode.valueOf(token);
      case "endpoint" -> endpoint == null ? NullNode.instance : TextNode.valueOf(endpoint);
      case "curl_cli" ->
          TextNode.valueOf(
              "curl -i -X POST -H 'X-Auth-Token: " + token + "' -H 'Content-Type: application/json' -H 'Accept:"
                  + " application/json' " + endpoint);
      case "signal" -> {
        ObjectNode signal = JsonNodeFactory.instance.objectNode();
        signal.put("endpoint", endpoint);
        signal.put("token", token);
        yield TextNode.valueOf(signal.toString());
      }
      default -> NullNode.instance;
    };
  }

  /**
   * The signals as a wait condition reads them, as Heat's handle keeps them in its metadata: one
   * entry per id, a later signal with the same id replacing the earlier one in its place; a signal
   * without an id takes the number of entries so far plus one, which is also its default reason.
   */
  static List<Signal> signals(ResourceState handle) {
    java.util.LinkedHashMap<String, Signal> byId = new java.util.LinkedHashMap<>();
    for (JsonNode s : handle.signals()) {
      if (s.has("unset_hook")) {
        continue;
      }
      int number = byId.size() + 1;
      String status = s.path("status").asText("SUCCESS");
      String reason = s.hasNonNull("reason") ? s.get("reason").asText() : "Signal " + number + " received";
      JsonNode data = s.has("data") ? s.get("data") : NullNode.instance;
      String id = s.hasNonNull("id") ? s.get("id").asText() : Integer.toString(number);
      byId.put(id, new Signal(status, reason, data, id));
    }
    return List.copyOf(byId.values());
  }

  record Signal(String status, String reason, JsonNode data, String id) {}
}
