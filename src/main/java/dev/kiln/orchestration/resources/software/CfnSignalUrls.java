package dev.kiln.orchestration.resources.software;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.identity.UserCredential;
import dev.kiln.identity.UserCredentials;
import dev.kiln.orchestration.resources.ResourceContext;
import dev.kiln.orchestration.software.Ec2Signatures;
import dev.kiln.orchestration.software.StackUsers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Heat's pre-signed CFN signal URLs (CFN_SIGNAL): {@code {cfn endpoint}/signal/{resource ARN}}
 * with the stack user's EC2 access key and an EC2 version 2 signature (HmacSHA256) in the query,
 * so the server can POST its signal with no token. The user gets an EC2 key pair in the stack's
 * user project; the URL is kept in the resource's data, so it stays the same for the resource's
 * life (Heat's URLs never expire either).
 */
final class CfnSignalUrls {
  /** Where Kiln serves Heat's CFN API (heat-api-cfn), below the public URL. */
  static final String CFN_PREFIX = "/heat-api-cfn/v1";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  private final UserCredentials credentials;

  CfnSignalUrls(UserCredentials credentials) {
    this.credentials = requireNonNull(credentials, "credentials is null");
  }

  /** The resource's signal URL, made (with the user's EC2 key pair) at its first use. */
  String signalUrl(ResourceContext context, StackUsers.Credentials user) {
    JsonNode saved = context.data().path("ec2_signed_url");
    if (saved.isTextual()) {
      return saved.asText();
    }
    JsonNode keys = context.data().path("ec2_keys");
    String access;
    String secret;
    if (keys.isObject()) {
      access = keys.path("access").asText();
      secret = keys.path("secret").asText();
    } else {
      UserCredential c = credentials.createEc2(user.userId(), user.projectId());
      JsonNode blob = read(c.blob());
      access = blob.path("access").asText();
      secret = blob.path("secret").asText();
      ObjectNode record = context.data().putObject("ec2_keys");
      record.put("access", access);
      record.put("secret", secret);
    }
    String base = publicUrl(context) + CFN_PREFIX + "/signal";
    URI uri = URI.create(base);
    String arn = "arn:openstack:heat::" + context.owner().projectId() + ":stacks/" + context.stackName() + "/"
        + context.stackId() + "/resources/" + context.name();
    Map<String, String> params = new LinkedHashMap<>();
    params.put("SignatureMethod", "HmacSHA256");
    params.put("SignatureVersion", "2");
    params.put("AWSAccessKeyId", access);
    params.put("Timestamp", TIMESTAMP.format(context.clock().instant()));
    // Signed over the unquoted path, as the CFN API checks it; the URL carries the quoted one.
    String signature =
        Ec2Signatures.sign(secret, "POST", uri.getRawAuthority().toLowerCase(), uri.getPath() + "/" + arn, params);
    params.put("Signature", signature);
    StringBuilder url = new StringBuilder(base.toLowerCase()).append('/').append(quotePath(arn)).append('?');
    boolean first = true;
    for (Map.Entry<String, String> e : params.entrySet()) {
      url.append(first ? "" : "&").append(form(e.getKey())).append('=').append(form(e.getValue()));
      first = false;
    }
    context.data().put("ec2_signed_url", url.toString());
    return url.toString();
  }

  private static String publicUrl(ResourceContext context) {
    String signal = context.signalUrl();
    int at = signal.indexOf("/heat-api/");
    return at < 0 ? signal : signal.substring(0, at);
  }

  /** Python's {@code quote(arn)}: slashes stay, colons and the rest are percent-encoded. */
  private static String quotePath(String arn) {
    return URLEncoder.encode(arn, StandardCharsets.UTF_8).replace("+", "%20").replace("%2F", "/").replace("%7E", "~");
  }

  private static String form(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static JsonNode read(String blob) {
    try {
      return JSON.readTree(blob);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
