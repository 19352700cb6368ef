package dev.kiln.guest;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * os-collect-config's heat collector: logs in to Keystone with the server's stack user, finds the
 * orchestration endpoint in the catalog, and reads {@code GET
 * /stacks/{stack_id}/resources/{resource_name}/metadata} (the stack id may be {@code name/id}, as
 * Heat writes it).
 */
final class HeatCollector implements MetadataCollector {
  private final GuestHttp http;
  private final KeystoneSession keystone;
  private final GuestBootstrap.Heat settings;

  HeatCollector(GuestHttp http, KeystoneSession keystone, GuestBootstrap.Heat settings) {
    this.http = requireNonNull(http, "http is null");
    this.keystone = requireNonNull(keystone, "keystone is null");
    this.settings = requireNonNull(settings, "settings is null");
  }

  @Override
  public String name() {
    return "heat";
  }

  @Override
  public JsonNode collect() throws GuestException {
    String url = keystone.endpoint("orchestration") + "/stacks/" + stackPath(settings.stackId()) + "/resources/"
        + segment(settings.resourceName()) + "/metadata";
    GuestHttp.Answer answer = http.send("GET", url, keystone.token(), null);
    if (answer.status() == 401) {
      keystone.forget(); // expired or revoked: the next poll logs in again
    }
    if (!answer.ok()) {
      throw new GuestException("metadata of " + settings.resourceName() + " not available (" + answer.status() + ")");
    }
    JsonNode metadata = answer.json().path("metadata");
    if (!metadata.isObject()) {
      throw new GuestException("the metadata answer has no metadata object");
    }
    return metadata;
  }

  /** A stack identifier as a path: {@code name/id} keeps its slash, each piece encoded. */
  static String stackPath(String stackId) {
    StringBuilder out = new StringBuilder();
    for (String piece : stackId.split("/")) {
      if (!piece.isEmpty()) {
        out.append(out.isEmpty() ? "" : "/").append(segment(piece));
      }
    }
    return out.toString();
  }

  static String segment(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
