package dev.kiln.identity.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.http.Access;
import dev.kiln.http.ApiError;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import dev.kiln.http.JsonInput;
import dev.kiln.identity.OAuthConsumer;
import dev.kiln.identity.OAuthConsumers;
import java.util.Set;

/**
 * {@code /v3/OS-OAUTH1/consumers}, for admins. The secret is in the create's answer only; an
 * update may change the description (and unknown attributes, which are kept as Keystone keeps
 * them) but never the secret.
 */
final class OAuthConsumersApi {
  private static final String PATH = "/v3/OS-OAUTH1/consumers";
  private static final Set<String> KNOWN = Set.of("id", "description", "secret", "links");
  /** Keystone bounds a description only by the request size; Kiln's bound is this many characters. */
  private static final int DESCRIPTION_MAX = 65_536;

  private final OAuthConsumers consumers;

  OAuthConsumersApi(OAuthConsumers consumers) {
    this.consumers = requireNonNull(consumers, "consumers is null");
  }

  void register(ApiRoutes routes) {
    routes
        .get(PATH, Access.ADMIN, this::list)
        .post(PATH, Access.ADMIN, this::create)
        .get(PATH + "/{consumer_id}", Access.ADMIN, this::show)
        .patch(PATH + "/{consumer_id}", Access.ADMIN, this::update)
        .delete(PATH + "/{consumer_id}", Access.ADMIN, this::delete);
  }

  private ApiResponse list(ApiRequest request) {
    IdentityViews views = new IdentityViews(request.baseUrl());
    ObjectNode body = Json.object();
    ArrayNode list = body.putArray("consumers");
    consumers.consumers().forEach(c -> list.add(view(c, views)));
    ObjectNode links = body.putObject("links");
    links.put("self", views.v3Url() + "/OS-OAUTH1/consumers");
    links.putNull("previous");
    links.putNull("next");
    return ApiResponse.ok(body);
  }

  private ApiResponse create(ApiRequest request) {
    JsonInput in = JsonInput.wrapped(request.body(), "consumer");
    OAuthConsumer c =
        consumers.create(
            in.optionalString("description", DESCRIPTION_MAX).orElse(null),
            ExtraAttributes.of(request.body().get("consumer"), KNOWN));
    ObjectNode view = view(c, new IdentityViews(request.baseUrl()));
    view.put("secret", c.secret());
    return ApiResponse.created(wrap(view));
  }

  private ApiResponse show(ApiRequest request) {
    return ApiResponse.ok(wrap(view(consumers.consumer(request.pathParam("consumer_id")), new IdentityViews(request.baseUrl()))));
  }

  private ApiResponse update(ApiRequest request) {
    String id = request.pathParam("consumer_id");
    JsonInput in = JsonInput.wrapped(request.body(), "consumer");
    JsonNode fields = request.body().get("consumer");
    if (fields.isEmpty()) {
      throw ApiError.badRequest("SchemaValidationError", "Invalid input for field 'consumer': give at least one attribute to change.");
    }
    if (fields.has("secret")) {
      throw ApiError.badRequest("SchemaValidationError", "Invalid input for field 'consumer/secret': a consumer's secret cannot be changed.");
    }
    if (fields.has("id") && !id.equals(fields.get("id").asText())) {
      throw ApiError.badRequest(
          "ValidationError", "Cannot change the consumer's id: the body names " + fields.get("id") + ", the URL " + id + ".");
    }
    OAuthConsumer old = consumers.consumer(id);
    String description = in.has("description") ? in.optionalString("description", DESCRIPTION_MAX).orElse(null) : old.description();
    OAuthConsumer c = consumers.update(id, description, ExtraAttributes.merged(old.extra(), fields, KNOWN));
    return ApiResponse.ok(wrap(view(c, new IdentityViews(request.baseUrl()))));
  }

  private ApiResponse delete(ApiRequest request) {
    consumers.delete(request.pathParam("consumer_id"));
    return ApiResponse.noContent();
  }

  private static ObjectNode wrap(ObjectNode view) {
    ObjectNode body = Json.object();
    body.set("consumer", view);
    return body;
  }

  /** A consumer as shown after its creation: everything but the secret. */
  private static ObjectNode view(OAuthConsumer c, IdentityViews views) {
    ObjectNode n = Json.object();
    n.put("id", c.id());
    n.put("description", c.description());
    n.putObject("links").put("self", views.v3Url() + "/OS-OAUTH1/consumers/" + c.id());
    ExtraAttributes.addTo(n, c.extra());
    return n;
  }
}
