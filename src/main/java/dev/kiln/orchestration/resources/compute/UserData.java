package dev.kiln.orchestration.resources.compute;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The user data a server boots with, from {@code user_data} and {@code user_data_format}, base64
 * encoded as Nova takes it. RAW is the user's data unchanged. HEAT_CFNTOOLS and SOFTWARE_CONFIG
 * wrap it in a multipart MIME message as Heat does, so cloud-init hands each part to its handler:
 * the user's data as heat-cfntools' {@code cfn-userdata} (or a shell script for SOFTWARE_CONFIG,
 * whose configuration arrives later through metadata). The boundary is fixed, so a create repeated
 * after a crash asks for exactly the same server.
 */
final class UserData {
  private static final String BOUNDARY = "===============kiln-heat-userdata==";

  private UserData() {}

  static String encode(String format, String userData) {
    return encode(format, userData, null);
  }

  /**
   * As above; a SOFTWARE_CONFIG server's {@code metadata} (its deployments and os-collect-config
   * section) goes in a {@code cfn-init-data} part, where the in-instance tools find their first
   * poll settings, as in Heat's boot data.
   */
  static String encode(String format, String userData, com.fasterxml.jackson.databind.JsonNode metadata) {
    String data = userData == null ? "" : userData;
    String body =
        switch (format) {
          case "RAW" -> data;
          case "SOFTWARE_CONFIG" -> {
            String parts = data.isEmpty() ? "" : part("x-shellscript", "config", data);
            if (metadata != null) {
              parts += (parts.isEmpty() ? "" : "--" + BOUNDARY + "\n") + part("x-cfninitdata", "cfn-init-data", metadata.toString());
            }
            yield multipart(parts.isEmpty() ? null : parts);
          }
          default -> multipart(part("x-cfninitdata", "cfn-userdata", data));
        };
    return body.isEmpty() ? null : Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8));
  }

  private static String multipart(String userPart) {
    StringBuilder out = new StringBuilder();
    out.append("Content-Type: multipart/mixed; boundary=\"").append(BOUNDARY).append("\"\n");
    out.append("MIME-Version: 1.0\n\n");
    out.append("--").append(BOUNDARY).append('\n');
    out.append(part("cloud-config", "cloud-config", "#cloud-config\nmanage_etc_hosts: true\n"));
    if (userPart != null) {
      out.append("--").append(BOUNDARY).append('\n').append(userPart);
    }
    out.append("--").append(BOUNDARY).append("--\n");
    return out.toString();
  }

  private static String part(String subtype, String filename, String content) {
    return "Content-Type: text/" + subtype + "; charset=\"us-ascii\"\n"
        + "MIME-Version: 1.0\n"
        + "Content-Transfer-Encoding: 7bit\n"
        + "Content-Disposition: attachment; filename=\"" + filename + "\"\n\n"
        + content + (content.endsWith("\n") ? "" : "\n");
  }
}
