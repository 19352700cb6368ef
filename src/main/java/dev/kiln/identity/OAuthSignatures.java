package dev.kiln.identity;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * OAuth 1.0a request signatures (RFC 5849), as Keystone's OS-OAUTH1 checks them: the signature
 * base string of a request (its method, its URL without query, and every parameter of the query,
 * a form body and the Authorization header but the signature, percent-encoded and sorted), signed
 * with HMAC under the consumer's secret and the token's secret. HMAC-SHA1 is what Keystone's
 * clients send; HMAC-SHA256 and HMAC-SHA512 are taken too. PLAINTEXT is not: it would send the
 * secrets themselves, and Kiln may be reached over plain HTTP.
 */
public final class OAuthSignatures {
  private OAuthSignatures() {}

  /** One request parameter, decoded. */
  public record Param(String name, String value) {}

  /**
   * What a signed request carries.
   *
   * @param method the HTTP method
   * @param url the URL the client reached, scheme, host, port and path, without the query
   * @param params the query's and a form body's parameters, decoded
   * @param oauth the Authorization header's parameters, decoded, {@code realm} and {@code
   *     oauth_signature} included
   */
  public record SignedRequest(String method, String url, List<Param> params, Map<String, String> oauth) {
    public SignedRequest {
      params = List.copyOf(params);
      oauth = Map.copyOf(oauth);
    }

    public String oauth(String name) {
      return oauth.get(name);
    }
  }

  /**
   * The parameters of an {@code Authorization: OAuth ...} header, decoded; empty when the header
   * is missing or is not an OAuth one.
   */
  public static Map<String, String> parseAuthorization(String header) {
    Map<String, String> params = new LinkedHashMap<>();
    if (header == null) {
      return params;
    }
    String text = header.strip();
    if (text.length() < 6 || !text.substring(0, 6).equalsIgnoreCase("OAuth ")) {
      return params;
    }
    for (String part : text.substring(6).split(",")) {
      String item = part.strip();
      int eq = item.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      String name = item.substring(0, eq).strip();
      String value = item.substring(eq + 1).strip();
      if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
        value = value.substring(1, value.length() - 1);
      }
      params.put(decode(name), decode(value));
    }
    return params;
  }

  /** Whether the request's signature is right for these secrets ({@code tokenSecret} may be null). */
  public static boolean verify(SignedRequest request, String consumerSecret, String tokenSecret) {
    String given = request.oauth("oauth_signature");
    String method = request.oauth("oauth_signature_method");
    if (given == null || method == null) {
      return false;
    }
    String algorithm =
        switch (method) {
          case "HMAC-SHA1" -> "HmacSHA1";
          case "HMAC-SHA256" -> "HmacSHA256";
          case "HMAC-SHA512" -> "HmacSHA512";
          default -> null;
        };
    if (algorithm == null) {
      return false;
    }
    String expected = sign(algorithm, baseString(request), consumerSecret, tokenSecret);
    return MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.US_ASCII), given.getBytes(StandardCharsets.US_ASCII));
  }

  /** The signature base string (RFC 5849, section 3.4.1). */
  static String baseString(SignedRequest request) {
    List<Param> all = new ArrayList<>(request.params());
    request.oauth().forEach((name, value) -> {
      if (!name.equals("realm") && !name.equals("oauth_signature")) {
        all.add(new Param(name, value));
      }
    });
    List<String[]> encoded = new ArrayList<>();
    for (Param p : all) {
      encoded.add(new String[] {encode(p.name()), encode(p.value())});
    }
    encoded.sort(Comparator.<String[], String>comparing(p -> p[0]).thenComparing(p -> p[1]));
    StringBuilder normalized = new StringBuilder();
    for (String[] p : encoded) {
      if (!normalized.isEmpty()) {
        normalized.append('&');
      }
      normalized.append(p[0]).append('=').append(p[1]);
    }
    return request.method().toUpperCase(Locale.ROOT) + "&" + encode(baseUri(request.url())) + "&"
        + encode(normalized.toString());
  }

  /** Scheme and host in lower case, the port only when it is not the scheme's own. */
  static String baseUri(String url) {
    java.net.URI uri = java.net.URI.create(url);
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    int port = uri.getPort();
    boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    return scheme + "://" + host + (defaultPort ? "" : ":" + port) + path;
  }

  static String sign(String algorithm, String baseString, String consumerSecret, String tokenSecret) {
    String key = encode(consumerSecret) + "&" + (tokenSecret == null ? "" : encode(tokenSecret));
    try {
      Mac mac = Mac.getInstance(algorithm);
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), algorithm));
      return Base64.getEncoder().encodeToString(mac.doFinal(baseString.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("the JDK lacks " + algorithm, e);
    }
  }

  /** RFC 5849's percent-encoding: everything but ALPHA, DIGIT, '-', '.', '_' and '~', of UTF-8. */
  public static String encode(String value) {
    StringBuilder out = new StringBuilder();
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.' || c == '_' || c == '~') {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }

  /** Percent-decoding (a '+' stays a '+': RFC 5849 values are not form-encoded). */
  public static String decode(String value) {
    if (value.indexOf('%') < 0) {
      return value;
    }
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    int plain = 0;
    for (int i = 0; i < value.length(); i++) {
      if (value.charAt(i) == '%' && i + 2 < value.length()
          && Character.digit(value.charAt(i + 1), 16) >= 0 && Character.digit(value.charAt(i + 2), 16) >= 0) {
        bytes.writeBytes(value.substring(plain, i).getBytes(StandardCharsets.UTF_8));
        bytes.write(Character.digit(value.charAt(i + 1), 16) * 16 + Character.digit(value.charAt(i + 2), 16));
        i += 2;
        plain = i + 1;
      }
    }
    bytes.writeBytes(value.substring(plain).getBytes(StandardCharsets.UTF_8));
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /** Parses a query string or form body into decoded parameters ('+' is a space there). */
  public static List<Param> parseForm(String text) {
    List<Param> params = new ArrayList<>();
    if (text == null || text.isEmpty()) {
      return params;
    }
    for (String pair : text.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      params.add(new Param(decode(name.replace('+', ' ')), decode(value.replace('+', ' '))));
    }
    return params;
  }
}
