package dev.kiln.orchestration.template;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/** A template that parsed and validated, with its merged environment; parameters not bound yet. */
public interface ParsedStack {
  /** The version as written ({@code 2018-08-31}, {@code rocky}, {@code 2010-09-09}). */
  String version();

  String description();

  /** The template's parameters in template order, as {@code /validate} reports them. */
  List<ParameterDefinition> parameters();

  List<ParameterGroup> parameterGroups();

  /** The environment after merging the environment files and the request's environment. */
  Environment environment();

  /** The template as a JSON tree, as {@code GET …/template} answers it. */
  JsonNode templateJson();

  /** The files the template came with, as {@code GET …/files} answers them. */
  Map<String, String> files();

  /**
   * Binds the user's parameters (over the environment's parameters and parameter_defaults and the
   * template's defaults), checks every constraint, evaluates {@code conditions}, and returns the
   * resources and outputs that remain.
   *
   * @param userParameters parameters given with the request; values are strings or JSON
   * @throws dev.kiln.common.ServiceException INVALID for a missing or invalid parameter, with
   *     Heat's message ({@code The Parameter (x) was not provided.}, {@code Parameter 'x' is
   *     invalid: …})
   */
  BoundStack bind(
      Map<String, JsonNode> userParameters, PseudoParameters pseudo, ConstraintChecker checker);

  /**
   * {@link #bind} for a stack that implements a resource of another stack (a provider template or
   * {@code OS::Heat::Stack}): {@code resource_facade} / {@code Fn::ResourceFacade} in it answer
   * from {@code facade}, the parent resource's {@code {"metadata", "deletion_policy",
   * "update_policy"}} (resolved; absent keys read as null).
   */
  BoundStack bind(
      Map<String, JsonNode> userParameters,
      PseudoParameters pseudo,
      ConstraintChecker checker,
      JsonNode facade);
}
