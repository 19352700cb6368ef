package dev.kiln.orchestration.template.fn;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One function call in a template: {@code {name: args}}.
 *
 * @param path where the call is, Heat style ({@code resources.r.properties.a.list_join}), for
 *     error messages
 */
public record Call(String name, Function function, Node args, String path, JsonNode raw)
    implements Node {

  public Call {
    requireNonNull(name, "name is null");
    requireNonNull(function, "function is null");
    requireNonNull(args, "args is null");
    requireNonNull(path, "path is null");
  }

  public Call withArgs(Node newArgs) {
    return newArgs == args ? this : new Call(name, function, newArgs, path, raw);
  }
}
