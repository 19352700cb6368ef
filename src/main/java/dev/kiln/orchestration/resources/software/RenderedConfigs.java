package dev.kiln.orchestration.resources.software;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.orchestration.resources.Props;
import dev.kiln.orchestration.resources.ResourceContext;
import dev.kiln.orchestration.resources.Schemas;
import dev.kiln.orchestration.software.SoftwareConfig;
import dev.kiln.orchestration.software.SoftwareService;
import java.util.UUID;

/**
 * The config types whose config Kiln renders: {@code OS::Heat::CloudConfig} (a {@code
 * #cloud-config} document from a map) and {@code OS::Heat::MultipartMime} (a multipart MIME message
 * of other configs, for cloud-init's user data).
 */
final class RenderedConfigs {
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));

  private RenderedConfigs() {}

  static SoftwareConfigResource cloudConfig(SoftwareService software) {
    return SoftwareConfigResource.rendered(
        software,
        Schemas.of(
            "OS::Heat::CloudConfig",
            "A cloud-init #cloud-config document made from a map, usable as a server's user_data.",
            "2014.1",
            Props.properties("cloud_config", Props.map("The cloud-config data, as a map.")),
            Props.attributes("config", Props.attribute("The #cloud-config document.", "string"))),
        RenderedConfigs::renderCloudConfig);
  }

  static SoftwareConfigResource multipartMime(SoftwareService software) {
    return SoftwareConfigResource.rendered(
        software,
        Schemas.of(
            "OS::Heat::MultipartMime",
            "A multipart MIME message made of other configs (or literal text), usable as a server's user_data.",
            "2014.1",
            Props.properties(
                "parts",
                Props.list("The parts: maps of config (a config id or text), filename, type (text or multipart), subtype.")),
            Props.attributes("config", Props.attribute("The MIME message.", "string"))),
        c -> renderMultipart(c, software));
  }

  private static JsonNode renderCloudConfig(ResourceContext context) {
    JsonNode data = context.properties().path("cloud_config");
    try {
      String body = data.isObject() && data.size() > 0 ? YAML.writeValueAsString(data) : "{}\n";
      return TextNode.valueOf("#cloud-config\n" + body);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot render cloud_config", e);
    }
  }

  private static JsonNode renderMultipart(ResourceContext context, SoftwareService software) {
    String boundary = "===============" + UUID.nameUUIDFromBytes(context.id().getBytes()).toString().replace("-", "") + "==";
    StringBuilder out = new StringBuilder();
    out.append("Content-Type: multipart/mixed; boundary=\"").append(boundary).append("\"\nMIME-Version: 1.0\n\n");
    for (JsonNode part : context.properties().path("parts")) {
      String ref = part.path("config").asText("");
      String content =
          software.configById(ref).filter(c -> c.projectId().equals(context.owner().projectId()) || context.owner().admin())
              .map(SoftwareConfig::config).map(c -> c.isTextual() ? c.asText() : c.toString()).orElse(ref);
      String subtype = part.path("subtype").asText("x-shellscript");
      String filename = part.path("filename").asText("part");
      out.append("--").append(boundary).append('\n');
      if (part.path("type").asText("text").equals("multipart")) {
        out.append(content).append(content.endsWith("\n") ? "" : "\n");
        continue;
      }
      out.append("Content-Type: text/").append(subtype).append("; charset=\"us-ascii\"\n")
          .append("MIME-Version: 1.0\nContent-Transfer-Encoding: 7bit\n")
          .append("Content-Disposition: attachment; filename=\"").append(filename).append("\"\n\n")
          .append(content).append(content.endsWith("\n") ? "" : "\n");
    }
    out.append("--").append(boundary).append("--\n");
    return TextNode.valueOf(out.toString());
  }
}
