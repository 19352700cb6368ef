package dev.kiln.orchestration.template;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.kiln.common.ServiceException;
import dev.kiln.orchestration.template.fn.Values;
import java.io.StringReader;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Reads template, environment and provider-template text as Heat does: JSON when it parses as
 * JSON, else YAML 1.1 exactly as PyYAML's safe loader reads it (see {@link PyYamlResolver} and
 * {@link YamlTree}), with timestamps kept as strings. Refuses text over 512 KB and documents whose
 * aliases would expand past {@link YamlTree#MAX_EXPANDED_NODES}, before expanding anything.
 */
final class TemplateReader {
  /** Heat's {@code max_template_size} default. */
  static final int MAX_TEMPLATE_SIZE = 524_288;

  static final ObjectMapper JSON =
      JsonMapper.builder()
          .nodeFactory(Values.JSON)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private TemplateReader() {}

  /** Heat's {@code validate_template_limit}. */
  static void checkSize(int length) {
    if (length > MAX_TEMPLATE_SIZE) {
      throw new ServiceException(
          ServiceException.Kind.INVALID,
          "RequestLimitExceeded",
          "Request limit exceeded: Template size ("
              + length
              + " bytes) exceeds maximum allowed size ("
              + MAX_TEMPLATE_SIZE
              + " bytes).");
    }
  }

  /**
   * Parses a template document (Heat's {@code template_format.parse}).
   *
   * @param name the file name for messages ({@code [root stack]} for the template itself)
   */
  static JsonNode parseTemplate(String text, String name) {
    checkSize(text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    JsonNode tree = parse(text, name, "Template");
    if (!(tree.has("heat_template_version")
        || tree.has("AWSTemplateFormatVersion")
        || tree.has("HeatTemplateFormatVersion"))) {
      throw Errors.badRequest("Template not in valid format: Template format version not found.");
    }
    return tree;
  }

  /**
   * Parses JSON or YAML text into an object (Heat's {@code simple_parse}).
   *
   * @param kind {@code Template} or {@code Environment}, for messages
   */
  static JsonNode parse(String text, String name, String kind) {
    JsonNode tree;
    String stripped = text.strip();
    tree = stripped.startsWith("{") ? tryJson(stripped) : null;
    if (tree == null) {
      tree = yaml(text, name, kind);
    }
    if (tree == null || tree.isNull()) {
      tree = Values.object();
    }
    if (!tree.isObject()) {
      throw Errors.badRequest(
          kind + " not in valid format: The " + kind.toLowerCase(java.util.Locale.ROOT)
              + " is not a JSON object or YAML mapping.");
    }
    return tree;
  }

  private static JsonNode tryJson(String text) {
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  private static JsonNode yaml(String text, String name, String kind) {
    LoaderOptions options = new LoaderOptions();
    // The expansion itself is bounded by YamlTree; this stops pathological alias counts early.
    options.setMaxAliasesForCollections(1000);
    options.setAllowRecursiveKeys(false);
    options.setCodePointLimit(MAX_TEMPLATE_SIZE * 4);
    options.setNestingDepthLimit(200);
    DumperOptions dumper = new DumperOptions();
    Yaml yaml =
        new Yaml(
            new SafeConstructor(options), new Representer(dumper), dumper, options, new PyYamlResolver());
    Node root;
    try {
      root = yaml.compose(new StringReader(text));
    } catch (MarkedYAMLException e) {
      throw Errors.badRequest(
          kind + " not in valid format: Error parsing template " + name + " " + pyYamlMessage(e));
    } catch (YAMLException e) {
      if (e.getMessage() != null && e.getMessage().contains("aliases")) {
        throw YamlTree.bomb();
      }
      throw Errors.badRequest(
          kind + " not in valid format: Error parsing template " + name + " " + e.getMessage());
    }
    if (root == null) {
      return null;
    }
    return new YamlTree(kind).convert(root);
  }

  /** PyYAML's wording of a marked error: context, where, problem, where (lines and columns 1-based). */
  static String pyYamlMessage(MarkedYAMLException e) {
    StringBuilder b = new StringBuilder();
    if (e.getContext() != null) {
      b.append(e.getContext()).append('\n');
    }
    Mark cm = e.getContextMark();
    Mark pm = e.getProblemMark();
    if (cm != null
        && (e.getProblem() == null
            || pm == null
            || cm.getLine() != pm.getLine()
            || cm.getColumn() != pm.getColumn())) {
      b.append(mark(cm)).append('\n');
    }
    if (e.getProblem() != null) {
      b.append(e.getProblem()).append('\n');
    }
    if (pm != null) {
      b.append(mark(pm)).append('\n');
    }
    return b.toString().stripTrailing();
  }

  private static String mark(Mark m) {
    String where =
        "  in \"<unicode string>\", line " + (m.getLine() + 1) + ", column " + (m.getColumn() + 1);
    String snippet = m.get_snippet();
    return snippet == null || snippet.isBlank() ? where : where + ":\n" + snippet;
  }
}
