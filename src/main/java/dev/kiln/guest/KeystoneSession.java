package dev.kiln.guest;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * A Keystone v3 password login by user id, scoped to a project id, as os-collect-config's heat
 * collector and heat-config-notify make: the token, and an endpoint of a service type from the
 * token's catalog. The token is kept until a minute before it expires, or until a caller reports
 * it refused ({@link #forget()}).
 */
final class KeystoneSession {
  private static final Duration MARGIN = Duration.ofMinutes(1);

  private final GuestHttp http;
  private final Clock clock;
  private final String authUrl;
  private final String userId;
  private final String password;
  private final String projectId;
  private final String regionName;
  /** A lock rather than synchronized: a login blocks on HTTP, which must not pin a virtual thread's carrier (JDK 21). */
  private final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();
  private JsonNode token;
  private String tokenId;
  private Instant expiresAt;

  KeystoneSession(
      GuestHttp http, Clock clock, String authUrl, String userId, String password, String projectId, String regionName) {
    this.http = requireNonNull(http, "http is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.authUrl = v3(requireNonNull(authUrl, "authUrl is null"));
    this.userId = requireNonNull(userId, "userId is null");
    this.password = requireNonNull(password, "password is null");
    this.projectId = requireNonNull(projectId, "projectId is null");
    this.regionName = regionName;
  }

  /** Keystone's v3 root: the URL as given when it names v3, else its v3 below it. */
  static String v3(String url) {
    String trimmed = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    return trimmed.endsWith("/v3") ? trimmed : trimmed + "/v3";
  }

  /** A valid token, logging in again when there is none or it is about to expire. */
  String token() throws GuestException {
    lock.lock();
    try {
      if (tokenId == null || (expiresAt != null && clock.instant().plus(MARGIN).isAfter(expiresAt))) {
        login();
      }
      return tokenId;
    } finally {
      lock.unlock();
    }
  }

  /** The public URL of {@code serviceType} in the token's catalog (in the region, if one was named). */
  String endpoint(String serviceType) throws GuestException {
    lock.lock();
    try {
      token();
      return find(serviceType);
    } finally {
      lock.unlock();
    }
  }

  private String find(String serviceType) throws GuestException {
    for (JsonNode service : token.path("catalog")) {
      if (!serviceType.equals(service.path("type").asText())) {
        continue;
      }
      for (JsonNode e : service.path("endpoints")) {
        boolean inRegion =
            regionName == null
                || regionName.equals(e.path("region_id").asText(null))
                || regionName.equals(e.path("region").asText(null));
        if ("public".equals(e.path("interface").asText()) && inRegion) {
          String url = e.path("url").asText();
          return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        }
      }
    }
    throw new GuestException("the catalog has no public " + serviceType + " endpoint"
        + (regionName == null ? "" : " in region " + regionName));
  }

  /** Drops the token, so the next call logs in again (after a 401). */
  void forget() {
    lock.lock();
    try {
      tokenId = null;
      token = null;
      expiresAt = null;
    } finally {
      lock.unlock();
    }
  }

  private void login() throws GuestException {
    ObjectNode body = GuestHttp.JSON.createObjectNode();
    ObjectNode auth = body.putObject("auth");
    ObjectNode identity = auth.putObject("identity");
    identity.putArray("methods").add("password");
    identity.putObject("password").putObject("user").put("id", userId).put("password", password);
    auth.putObject("scope").putObject("project").put("id", projectId);
    GuestHttp.Answer answer = http.send("POST", authUrl + "/auth/tokens", null, body.toString());
    if (answer.status() != 201) {
      throw new GuestException("Keystone refused the login of user " + userId + " (" + answer.status() + ")");
    }
    String id = answer.header("X-Subject-Token");
    if (id == null) {
      throw new GuestException("Keystone's answer has no X-Subject-Token");
    }
    token = answer.json().path("token");
    tokenId = id;
    try {
      expiresAt = token.hasNonNull("expires_at") ? Instant.parse(token.get("expires_at").asText()) : null;
    } catch (DateTimeParseException e) {
      expiresAt = null;
    }
  }
}
