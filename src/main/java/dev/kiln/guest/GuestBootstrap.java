package dev.kiln.guest;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a guest's os-collect-config is configured with: the collectors to poll, in order, and how
 * often. Read from the {@code os-collect-config} section of the server's user_data (see {@link
 * UserData}); a server whose user_data has no usable collector has no agent.
 *
 * @param heat the heat collector's settings, or null
 * @param request the request collector's settings, or null
 * @param cfn the cfn collector's settings, or null
 * @param pollingInterval the interval the section asks for, or null for the agents' default
 */
public record GuestBootstrap(Heat heat, Request request, Cfn cfn, Duration pollingInterval) {

  /** A bootstrap with the heat and request collectors only. */
  public GuestBootstrap(Heat heat, Request request, Duration pollingInterval) {
    this(heat, request, null, pollingInterval);
  }

  /** The cfn collector: DescribeStackResource on Heat's CFN API, signed with an EC2 key. */
  public record Cfn(String metadataUrl, String accessKeyId, String secretAccessKey, String stackName, String path) {}

  /** The heat collector: a Keystone login, then a resource's metadata from the orchestration API. */
  public record Heat(
      String authUrl, String userId, String password, String projectId, String stackId, String resourceName,
      String regionName) {}

  /** The request collector: a JSON document at a URL (a Swift temp URL, for Heat's POLL_TEMP_URL). */
  public record Request(String metadataUrl) {}

  /** The bootstrap in user_data as Nova keeps it (base64), or empty for none. */
  public static Optional<GuestBootstrap> fromUserData(String base64) {
    return UserData.collectConfig(base64).flatMap(GuestBootstrap::fromSection);
  }

  /** The bootstrap in an {@code os-collect-config} section, or empty when it configures no collector. */
  static Optional<GuestBootstrap> fromSection(JsonNode section) {
    List<String> named = new ArrayList<>();
    section.path("collectors").forEach(c -> named.add(c.asText()));
    JsonNode h = section.path("heat");
    Heat heat = null;
    if ((named.isEmpty() || named.contains("heat")) && h.isObject()) {
      heat = new Heat(
          text(h, "auth_url"), text(h, "user_id"), text(h, "password"), text(h, "project_id"), text(h, "stack_id"),
          text(h, "resource_name"), text(h, "region_name"));
      // As the heat collector: every one of these is needed, or it is not configured.
      if (heat.authUrl() == null || heat.userId() == null || heat.password() == null || heat.projectId() == null
          || heat.stackId() == null || heat.resourceName() == null) {
        heat = null;
      }
    }
    JsonNode r = section.path("request");
    Request request = null;
    if ((named.isEmpty() || named.contains("request")) && text(r, "metadata_url") != null) {
      request = new Request(text(r, "metadata_url"));
    }
    JsonNode c = section.path("cfn");
    Cfn cfn = null;
    if ((named.isEmpty() || named.contains("cfn")) && text(c, "metadata_url") != null && text(c, "access_key_id") != null
        && text(c, "secret_access_key") != null && text(c, "path") != null) {
      cfn = new Cfn(text(c, "metadata_url"), text(c, "access_key_id"), text(c, "secret_access_key"),
          text(c, "stack_name") == null ? "" : text(c, "stack_name"), text(c, "path"));
    }
    if (heat == null && request == null && cfn == null) {
      return Optional.empty();
    }
    return Optional.of(new GuestBootstrap(heat, request, cfn, interval(section.path("polling_interval"))));
  }

  private static Duration interval(JsonNode value) {
    if (value.isNumber() && value.asDouble() > 0) {
      return Duration.ofMillis(Math.round(value.asDouble() * 1000));
    }
    if (value.isTextual()) {
      try {
        double seconds = Double.parseDouble(value.asText().strip());
        return seconds > 0 ? Duration.ofMillis(Math.round(seconds * 1000)) : null;
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.path(field);
    return v.isValueNode() && !v.isNull() && !v.asText().isEmpty() ? v.asText() : null;
  }

  @Override
  public String toString() {
    // The password stays out of logs.
    return "GuestBootstrap[heat=" + (heat == null ? null : heat.stackId() + "/" + heat.resourceName())
        + ", request=" + (request == null ? null : "set") + ", cfn=" + (cfn == null ? null : cfn.path())
        + ", pollingInterval=" + pollingInterval + "]";
  }
}
