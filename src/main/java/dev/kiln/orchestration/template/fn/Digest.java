package dev.kiln.orchestration.template.fn;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/** {@code digest: [algorithm, value]}: the hex digest of a string. */
public final class Digest implements Function {
  public static final Digest INSTANCE = new Digest();

  /** Heat's names (hashlib's) to the JDK's. */
  private static final Map<String, String> ALGORITHMS =
      Map.of(
          "md5", "MD5",
          "sha1", "SHA-1",
          "sha224", "SHA-224",
          "sha256", "SHA-256",
          "sha384", "SHA-384",
          "sha512", "SHA-512",
          "sha3_224", "SHA3-224",
          "sha3_256", "SHA3-256",
          "sha3_384", "SHA3-384",
          "sha3_512", "SHA3-512");

  @Override
  public String description() {
    return "The hex digest of a string with md5, sha1, sha224, sha256, sha384, sha512 or sha3.";
  }

  @Override
  public JsonNode apply(String name, JsonNode args, Scope scope) {
    boolean strings = args.isArray();
    if (strings) {
      for (JsonNode a : args) {
        strings &= a.isTextual();
      }
    }
    if (!strings) {
      throw TemplateError.invalid("Argument to function \"" + name + "\" must be a list of strings");
    }
    if (args.size() != 2) {
      throw TemplateError.invalid("Function \"" + name + "\" usage: [\"<algorithm>\", \"<value>\"]");
    }
    String jdk = ALGORITHMS.get(args.get(0).textValue().toLowerCase(Locale.ROOT));
    if (jdk == null) {
      throw TemplateError.invalid(
          "Algorithm must be one of " + new java.util.TreeSet<>(ALGORITHMS.keySet()));
    }
    try {
      MessageDigest md = MessageDigest.getInstance(jdk);
      // Heat encodes the value as latin-1; characters beyond it cannot be hashed there either.
      byte[] bytes = args.get(1).textValue().getBytes(StandardCharsets.ISO_8859_1);
      return Values.text(HexFormat.of().formatHex(md.digest(bytes)));
    } catch (NoSuchAlgorithmException e) {
      throw TemplateError.invalid("Algorithm must be one of " + ALGORITHMS.keySet());
    }
  }
}
