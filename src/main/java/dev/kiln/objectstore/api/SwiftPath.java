package dev.kiln.objectstore.api;

import dev.kiln.objectstore.Refusal;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A request path below {@code /object-store}: {@code /info}, or {@code /v1/<account>} with an
 * optional container and object. Segments are percent-decoded as UTF-8 (invalid UTF-8 is a 412, as
 * Swift answers); the object is everything after the container, slashes and all.
 *
 * @param container null for an account request
 * @param object null for an account or container request
 */
record SwiftPath(boolean info, String account, String container, String object) {
  /** Swift's healthcheck middleware path, answered "OK" without a token. */
  static final String HEALTHCHECK = "/healthcheck";

  static SwiftPath parse(String rawPath) {
    String path = rawPath;
    if (path.equals("/info") || path.equals("/info/")) {
      return new SwiftPath(true, null, null, null);
    }
    if (!path.startsWith("/v1/") && !path.startsWith("/v1.0/")) {
      throw Refusal.notFound("Object Storage answers below /object-store/v1/AUTH_<project id>.");
    }
    String rest = path.substring(path.indexOf('/', 1) + 1);
    int slash = rest.indexOf('/');
    String account = decode(slash < 0 ? rest : rest.substring(0, slash));
    if (account.isEmpty()) {
      throw Refusal.notFound("The path names no account.");
    }
    if (slash < 0) {
      return new SwiftPath(false, account, null, null);
    }
    rest = rest.substring(slash + 1);
    slash = rest.indexOf('/');
    if (slash < 0) {
      // "/v1/AUTH_x/" is the account, "/v1/AUTH_x/c" a container.
      return rest.isEmpty()
          ? new SwiftPath(false, account, null, null)
          : new SwiftPath(false, account, decode(rest), null);
    }
    String container = decode(rest.substring(0, slash));
    String object = decode(rest.substring(slash + 1));
    if (container.isEmpty()) {
      throw Refusal.preconditionFailed("The path has an empty container name.");
    }
    return new SwiftPath(false, account, container, object.isEmpty() ? null : object);
  }

  boolean isAccount() {
    return container == null;
  }

  boolean isContainer() {
    return container != null && object == null;
  }

  boolean isObject() {
    return object != null;
  }

  /** Percent-decodes one segment; '+' stays itself, as in a URL path. */
  static String decode(String segment) {
    if (segment.indexOf('%') < 0) {
      return segment;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (c == '%' && i + 2 < segment.length()) {
        int hi = Character.digit(segment.charAt(i + 1), 16);
        int lo = Character.digit(segment.charAt(i + 2), 16);
        if (hi >= 0 && lo >= 0) {
          bytes.write(hi * 16 + lo);
          i += 2;
          continue;
        }
      }
      byte[] raw = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
      bytes.write(raw, 0, raw.length);
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw Refusal.preconditionFailed("The path is not valid UTF-8.");
    }
  }
}
