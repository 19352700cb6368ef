package dev.kiln.orchestration.template.fn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

/** {@code Fn::GetAZs: region}: the cloud's availability zones (the region is ignored). */
public final class GetAZs implements Function {
  public static final GetAZs INSTANCE = new GetAZs();

  @Override
  public String description() {
    return "The availability zones of the cloud.";
  }

  @Override
  public JsonNode apply(String name, JsonNode args, Scope scope) {
    ArrayNode out = Values.array();
    scope.live().availabilityZones().forEach(out::add);
    return out;
  }
}
