package dev.kiln.orchestration.template.yaql;

import java.util.List;

/** The syntax tree of a YAQL expression. */
sealed interface YaqlNode {
  /** A literal number, string, boolean or null. */
  record Const(Object value) implements YaqlNode {}

  /** {@code $} (name empty) or {@code $name}: the context value, or a named variable. */
  record Var(String name) implements YaqlNode {}

  /** {@code target.name}: a map's key (mapped over a list of maps). */
  record Attr(YaqlNode target, String name) implements YaqlNode {}

  /** {@code target[index]}. */
  record Index(YaqlNode target, YaqlNode index) implements YaqlNode {}

  /** {@code name(args)} or, with a receiver, {@code receiver.name(args)}. */
  record Invoke(YaqlNode receiver, String name, List<YaqlNode> args) implements YaqlNode {}

  /** A binary operator ({@code + - * / mod = != < > <= >= and or in}). */
  record Binary(String op, YaqlNode left, YaqlNode right) implements YaqlNode {}

  /** {@code not x}, {@code -x}. */
  record Unary(String op, YaqlNode operand) implements YaqlNode {}

  /** {@code [a, b]}. */
  record ListOf(List<YaqlNode> items) implements YaqlNode {}

  /** {@code {k => v}}. */
  record MapOf(List<YaqlNode> keys, List<YaqlNode> values) implements YaqlNode {}
}
