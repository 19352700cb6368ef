package dev.kiln.volume.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.http.Access;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;
import dev.kiln.http.JsonInput;
import dev.kiln.http.PageRequest;
import dev.kiln.volume.VolumeTransfer;
import dev.kiln.volume.VolumeTransfers;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Volume transfers at {@code /v3/{project_id}/os-volume-transfer} (the original extension) and
 * {@code /v3/{project_id}/volume-transfers} (3.55's resource, which also takes {@code
 * no_snapshots}). Both answer with Cinder's transfer views, whose fields grow with the
 * microversion: {@code no_snapshots} from 3.55, the source, destination and {@code accepted} from
 * 3.57. As in Cinder, Kiln serves the newer path at every microversion.
 */
final class TransfersApi {
  private static final String LEGACY = "/v3/{project_id}/os-volume-transfer";
  private static final String CURRENT = "/v3/{project_id}/volume-transfers";
  private static final Pattern UUID =
      Pattern.compile("[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}");

  private final VolumeTransfers transfers;

  TransfersApi(VolumeTransfers transfers) {
    this.transfers = requireNonNull(transfers, "transfers is null");
  }

  void register(ApiRoutes routes) {
    for (String base : List.of(LEGACY, CURRENT)) {
      boolean current = base.equals(CURRENT);
      routes
          .get(base, Access.AUTHENTICATED, request -> list(request, false))
          .post(base, Access.AUTHENTICATED, request -> create(request, current))
          .get(base + "/detail", Access.AUTHENTICATED, request -> list(request, true))
          .get(base + "/{transfer_id}", Access.AUTHENTICATED, this::show)
          .delete(base + "/{transfer_id}", Access.AUTHENTICATED, this::delete)
          .post(base + "/{transfer_id}/accept", Access.AUTHENTICATED, this::accept);
    }
  }

  private ApiResponse create(ApiRequest request, boolean current) {
    String project = CinderProject.of(request);
    JsonInput.root(request.body()).allowOnly("transfer");
    JsonInput in = JsonInput.wrapped(request.body(), "transfer");
    // no_snapshots is in the create schema of volume-transfers from 3.55 only.
    boolean takesNoSnapshots = current && request.microversion().atLeast(3, 55);
    if (takesNoSnapshots) {
      in.allowOnly("volume_id", "name", "no_snapshots");
    } else {
      in.allowOnly("volume_id", "name");
    }
    String volumeId = in.string("volume_id");
    if (!UUID.matcher(volumeId).matches()) {
      throw in.invalid("volume_id", "'" + volumeId + "' is not a 'uuid'");
    }
    String name = null;
    if (in.has("name") && !in.isNull("name")) {
      name = in.string("name").strip();
      if (name.length() > 255) {
        throw in.invalid("name", "must be at most 255 characters long");
      }
    }
    boolean noSnapshots = takesNoSnapshots && in.has("no_snapshots") && bool(in, "no_snapshots");
    VolumeTransfer.Created made = transfers.create(request.caller().actor(), volumeId, name, noSnapshots);
    ObjectNode view = detail(request, project, made.transfer());
    // Cinder's create view puts the key beside the detail's fields.
    view.put("auth_key", made.authKey());
    return ApiResponse.status(202, Json.wrap("transfer", view));
  }

  private ApiResponse list(ApiRequest request, boolean detail) {
    String project = CinderProject.of(request);
    boolean allProjects =
        request.query("all_tenants").map(v -> !v.equals("0") && !v.equalsIgnoreCase("false")).orElse(false);
    List<VolumeTransfer> all =
        transfers.list(request.caller().actor(), allProjects, request.query("name").orElse(null));
    PageRequest.Page<VolumeTransfer> page = PageRequest.from(request).apply(all, VolumeTransfer::id);
    ObjectNode body = Json.object();
    ArrayNode items = body.putArray("transfers");
    for (VolumeTransfer t : page.items()) {
      items.add(detail ? detail(request, project, t) : summary(request, project, t));
    }
    ArrayNode links = page.links(request.baseUrl() + VolumeApi.PREFIX + "/v3/" + project + "/os-volume-transfer");
    if (!links.isEmpty()) {
      body.set("transfers_links", links);
    }
    return ApiResponse.ok(body);
  }

  private ApiResponse show(ApiRequest request) {
    String project = CinderProject.of(request);
    VolumeTransfer t = transfers.show(request.caller().actor(), request.pathParam("transfer_id"));
    return ApiResponse.ok(Json.wrap("transfer", detail(request, project, t)));
  }

  private ApiResponse accept(ApiRequest request) {
    String project = CinderProject.of(request);
    JsonInput.root(request.body()).allowOnly("accept");
    JsonInput in = JsonInput.wrapped(request.body(), "accept");
    in.allowOnly("auth_key");
    if (!in.has("auth_key") || in.isNull("auth_key")) {
      throw in.invalid("auth_key", "this field is required");
    }
    JsonNode key = in.raw("auth_key");
    if (!key.isTextual() && !key.isIntegralNumber()) {
      throw in.invalid("auth_key", "expected a string or an integer");
    }
    VolumeTransfer t = transfers.accept(request.caller().actor(), request.pathParam("transfer_id"), key.asText());
    return ApiResponse.status(202, Json.wrap("transfer", summary(request, project, t)));
  }

  private ApiResponse delete(ApiRequest request) {
    CinderProject.of(request);
    transfers.delete(request.caller().actor(), request.pathParam("transfer_id"));
    return ApiResponse.status(202, null);
  }

  private static ObjectNode summary(ApiRequest request, String project, VolumeTransfer t) {
    ObjectNode o = Json.object();
    o.put("id", t.id());
    o.put("volume_id", t.volumeId());
    o.put("name", t.name());
    o.set("links", links(request, project, t.id()));
    return o;
  }

  private static ObjectNode detail(ApiRequest request, String project, VolumeTransfer t) {
    ObjectNode o = Json.object();
    o.put("id", t.id());
    o.put("created_at", VolumeViews.time(t.createdAt()));
    o.put("name", t.name());
    o.put("volume_id", t.volumeId());
    o.set("links", links(request, project, t.id()));
    if (request.microversion().atLeast(3, 55)) {
      o.put("no_snapshots", t.noSnapshots());
    }
    if (request.microversion().atLeast(3, 57)) {
      o.put("destination_project_id", t.destinationProjectId());
      o.put("source_project_id", t.sourceProjectId());
      o.put("accepted", t.accepted());
    }
    return o;
  }

  private static ArrayNode links(ApiRequest request, String project, String id) {
    ArrayNode links = Json.array();
    links.addObject()
        .put("rel", "self")
        .put("href", request.baseUrl() + VolumeApi.PREFIX + "/v3/" + project + "/os-volume-transfer/" + id);
    links.addObject()
        .put("rel", "bookmark")
        .put("href", request.baseUrl() + VolumeApi.PREFIX + "/" + project + "/os-volume-transfer/" + id);
    return links;
  }

  /** Cinder's boolean parameter type: JSON true/false or one of its words. */
  private static boolean bool(JsonInput in, String field) {
    JsonNode value = in.raw(field);
    if (value.isBoolean()) {
      return value.booleanValue();
    }
    if (value.isTextual()) {
      switch (value.textValue().toLowerCase(Locale.ROOT)) {
        case "1", "t", "true", "on", "y", "yes":
          return true;
        case "0", "f", "false", "off", "n", "no":
          return false;
        default:
          break;
      }
    }
    throw in.invalid(field, "expected a boolean");
  }
}
