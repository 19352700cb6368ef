package dev.kiln.orchestration.template;

import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * PyYAML's implicit scalar types (YAML 1.1), with PyYAML's own patterns where SnakeYAML's differ:
 * a float needs a decimal point ({@code 1e3} is a string to PyYAML), and {@code yes}/{@code no}/
 * {@code on}/{@code off} are booleans. Timestamps are recognised so that they can be kept as the
 * strings Heat keeps them as.
 */
final class PyYamlResolver extends Resolver {
  static final Pattern BOOL =
      Pattern.compile(
          "^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$");
  static final Pattern FLOAT =
      Pattern.compile(
          "^(?:[-+]?(?:[0-9][0-9_]*)\\.[0-9_]*(?:[eE][-+][0-9]+)?"
              + "|\\.[0-9_]+(?:[eE][-+][0-9]+)?"
              + "|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*"
              + "|[-+]?\\.(?:inf|Inf|INF)"
              + "|\\.(?:nan|NaN|NAN))$");
  static final Pattern INT =
      Pattern.compile(
          "^(?:[-+]?0b[0-1_]+"
              + "|[-+]?0[0-7_]+"
              + "|[-+]?(?:0|[1-9][0-9_]*)"
              + "|[-+]?0x[0-9a-fA-F_]+"
              + "|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$");
  static final Pattern MERGE = Pattern.compile("^(?:<<)$");
  static final Pattern NULL = Pattern.compile("^(?:~|null|Null|NULL|)$");
  static final Pattern TIMESTAMP =
      Pattern.compile(
          "^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]"
              + "|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?"
              + "(?:[Tt]|[ \\t]+)[0-9][0-9]?"
              + ":[0-9][0-9]:[0-9][0-9](?:\\.[0-9]*)?"
              + "(?:[ \\t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$");
  static final Pattern VALUE = Pattern.compile("^(?:=)$");

  @Override
  protected void addImplicitResolvers() {
    addImplicitResolver(Tag.BOOL, BOOL, "yYnNtTfFoO");
    addImplicitResolver(Tag.FLOAT, FLOAT, "-+0123456789.");
    addImplicitResolver(Tag.INT, INT, "-+0123456789");
    addImplicitResolver(Tag.MERGE, MERGE, "<");
    addImplicitResolver(Tag.NULL, NULL, "~nN\0");
    addImplicitResolver(Tag.NULL, Pattern.compile("^$"), null);
    addImplicitResolver(Tag.TIMESTAMP, TIMESTAMP, "0123456789");
  }
}
