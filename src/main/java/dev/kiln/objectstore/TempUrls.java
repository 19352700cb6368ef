package dev.kiln.objectstore;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Swift's temporary URLs: an HMAC over {@code METHOD\nEXPIRES\nPATH} with a key from the account's
 * (or container's) {@code Temp-URL-Key} or {@code Temp-URL-Key-2} metadata lets whoever holds the
 * URL make that one request on that one object without a token, until it expires. The path signed
 * is Swift's, {@code /v1/AUTH_<project>/<container>/<object>} (names not percent-encoded), and
 * signatures are accepted in Swift's forms: 40 hex digits (HMAC-SHA1), 64 (HMAC-SHA256), or
 * {@code sha1:}, {@code sha256:}, {@code sha512:} followed by base64 (standard or URL-safe, padding
 * optional).
 */
public final class TempUrls {
  /** The metadata names of the keys (lower-case, as metadata names are kept). */
  static final String KEY = "temp-url-key";
  static final String KEY_2 = "temp-url-key-2";

  /** The methods a temp URL may be signed for, as Swift's default configuration has them. */
  public static final Set<String> METHODS = Set.of("GET", "HEAD", "PUT", "POST", "DELETE");
  public static final List<String> DIGESTS = List.of("sha1", "sha256", "sha512");

  private static final DateTimeFormatter ISO_EXPIRES =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'", Locale.ROOT);

  private final Accounts accounts;
  private final Containers containers;
  private final Clock clock;
  private final SecureRandom random;

  TempUrls(Accounts accounts, Containers containers, Clock clock, SecureRandom random) {
    this.accounts = requireNonNull(accounts, "accounts is null");
    this.containers = requireNonNull(containers, "containers is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.random = requireNonNull(random, "random is null");
  }

  /** The parameters of a temp URL as a request carries them; any may be null. */
  public record Params(String signature, String expires, String prefix) {}

  /**
   * Whether {@code method} on the object is allowed by the temp URL parameters. HEAD is allowed by a
   * URL signed for GET, HEAD, PUT or POST, as in Swift.
   */
  public boolean allows(String method, String account, String container, String object, Params params) {
    if (params.signature() == null || params.signature().isEmpty() || params.expires() == null
        || !METHODS.contains(method) || object == null || object.isEmpty()) {
      return false;
    }
    long expires = expiry(params.expires());
    if (expires <= clock.instant().getEpochSecond()) {
      return false;
    }
    Signature given = Signature.parse(params.signature());
    if (given == null) {
      return false;
    }
    if (params.prefix() != null && !object.startsWith(params.prefix())) {
      return false;
    }
    String tail = "/v1/" + account + "/" + container + "/" + (params.prefix() != null ? params.prefix() : object);
    // Swift signs the path from /v1 on; a client that signs the whole path it sees (Tempest signs
    // its endpoint's path, /object-store/v1/…) names the same object, so both are accepted.
    List<String> paths = new ArrayList<>(2);
    for (String root : List.of("", ObjectStoreService.PATH_PREFIX)) {
      paths.add((params.prefix() != null ? "prefix:" : "") + root + tail);
    }
    List<String> methods = method.equals("HEAD") ? List.of("HEAD", "GET", "POST", "PUT") : List.of(method);
    for (String key : keys(account, container)) {
      for (String path : paths) {
        for (String m : methods) {
          byte[] expected = hmac(given.algorithm(), key, m + "\n" + expires + "\n" + path);
          if (MessageDigest.isEqual(expected, given.bytes())) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /**
   * A signed query string ({@code temp_url_sig=…&temp_url_expires=…}) for {@code method} on the
   * object until {@code expiresAt}, HMAC-SHA256 with the account's key, which is made and stored
   * first if the account has none.
   */
  public String sign(String account, String container, String object, String method, Instant expiresAt) {
    if (!METHODS.contains(method)) {
      throw new IllegalArgumentException("a temp URL is for one of " + METHODS + ", not " + method);
    }
    byte[] fresh = new byte[16];
    random.nextBytes(fresh);
    String key = accounts.tempUrlKey(account, HexFormat.of().formatHex(fresh));
    long expires = expiresAt.getEpochSecond();
    String path = "/v1/" + account + "/" + container + "/" + object;
    String signature = HexFormat.of().formatHex(hmac("sha256", key, method + "\n" + expires + "\n" + path));
    return "temp_url_sig=" + signature + "&temp_url_expires=" + expires;
  }

  private List<String> keys(String account, String container) {
    List<String> keys = new ArrayList<>(4);
    Metadata accountMeta = accounts.show(account).metadata();
    addKey(keys, accountMeta.get(KEY));
    addKey(keys, accountMeta.get(KEY_2));
    try {
      Metadata containerMeta = containers.show(account, container).metadata();
      addKey(keys, containerMeta.get(KEY));
      addKey(keys, containerMeta.get(KEY_2));
    } catch (Refusal e) {
      // No container: only the account's keys can sign (a PUT into it then answers 404).
    }
    return keys;
  }

  private static void addKey(List<String> keys, String key) {
    if (key != null && !key.isEmpty()) {
      keys.add(key);
    }
  }

  /** Seconds since the epoch, from an integer or {@code 2024-01-31T12:00:00Z}; 0 when neither. */
  private static long expiry(String value) {
    try {
      return Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      try {
        return LocalDateTime.parse(value.strip(), ISO_EXPIRES).toEpochSecond(ZoneOffset.UTC);
      } catch (DateTimeParseException notIso) {
        return 0;
      }
    }
  }

  static byte[] hmac(String algorithm, String key, String message) {
    String jca = switch (algorithm) {
      case "sha1" -> "HmacSHA1";
      case "sha256" -> "HmacSHA256";
      case "sha512" -> "HmacSHA512";
      default -> throw new IllegalArgumentException("unsupported digest " + algorithm);
    };
    try {
      Mac mac = Mac.getInstance(jca);
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), jca));
      return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException(jca + " is part of every JDK", e);
    }
  }

  /** A signature as given: its digest and its bytes. */
  private record Signature(String algorithm, byte[] bytes) {
    static Signature parse(String text) {
      int colon = text.indexOf(':');
      try {
        if (colon >= 0) {
          String algorithm = text.substring(0, colon);
          if (!DIGESTS.contains(algorithm)) {
            return null;
          }
          String encoded = text.substring(colon + 1).replace('-', '+').replace('_', '/');
          while (encoded.length() % 4 != 0) {
            encoded += "=";
          }
          return new Signature(algorithm, Base64.getDecoder().decode(encoded));
        }
        return switch (text.length()) {
          case 40 -> new Signature("sha1", HexFormat.of().parseHex(text));
          case 64 -> new Signature("sha256", HexFormat.of().parseHex(text));
          default -> null;
        };
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
  }
}
