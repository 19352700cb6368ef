package dev.kiln.orchestration.software;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * EC2 signature version 2, as Keystone's Ec2Signer computes it for Heat's CFN API: HMAC (SHA-256,
 * or SHA-1 when {@code SignatureMethod} says so) over {@code verb \n host \n path \n} and the query
 * parameters other than {@code Signature}, sorted by name and percent-encoded (only {@code -_.~}
 * left as they are), in base64. Heat's pre-signed signal URLs and os-collect-config's cfn collector
 * both sign this way.
 */
public final class Ec2Signatures {
  private Ec2Signatures() {}

  /** The signature of a request; {@code params} must not hold {@code Signature}. */
  public static String sign(String secret, String verb, String host, String path, Map<String, String> params) {
    StringBuilder text = new StringBuilder().append(verb).append('\n').append(host).append('\n').append(path).append('\n');
    boolean first = true;
    for (Map.Entry<String, String> e : new TreeMap<>(params).entrySet()) {
      if (!first) {
        text.append('&');
      }
      first = false;
      text.append(encode(e.getKey())).append('=').append(encode(e.getValue()));
    }
    String algorithm = "HmacSHA1".equals(params.get("SignatureMethod")) ? "HmacSHA1" : "HmacSHA256";
    try {
      Mac mac = Mac.getInstance(algorithm);
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), algorithm));
      return Base64.getEncoder().encodeToString(mac.doFinal(text.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks " + algorithm, e);
    }
  }

  /**
   * Whether {@code signature} signs the request. As Keystone, a host with a port is also tried
   * without it (some clients sign the bare host name).
   */
  public static boolean verify(
      String secret, String signature, String verb, String host, String path, Map<String, String> params) {
    if (signature == null || !"2".equals(params.get("SignatureVersion"))) {
      return false;
    }
    // Keystone's signer adds the method it uses when the request names none, and signs it too.
    params = new java.util.HashMap<>(params);
    params.putIfAbsent("SignatureMethod", "HmacSHA256");
    if (matches(sign(secret, verb, host, path, params), signature)) {
      return true;
    }
    int colon = host.lastIndexOf(':');
    return colon > 0 && matches(sign(secret, verb, host.substring(0, colon), path, params), signature);
  }

  private static boolean matches(String expected, String given) {
    return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
  }

  /** Python's {@code quote(value, safe='-_~')}: letters, digits and {@code -_.~} stay. */
  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A").replace("%7E", "~");
  }
}
