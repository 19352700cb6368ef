package dev.kiln.orchestration.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.kiln.common.ServiceException;
import dev.kiln.orchestration.template.schema.AttributeSchema;
import dev.kiln.orchestration.template.schema.Constraint;
import dev.kiln.orchestration.template.schema.PropertySchema;
import dev.kiln.orchestration.template.schema.PropertyType;
import dev.kiln.orchestration.template.schema.ResourceSchema;
import dev.kiln.orchestration.template.schema.SupportStatus;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Shared set-up for the template layer's tests: a small type catalog, a fake live stack. */
final class Fixtures {
  static final HeatTemplates HEAT = new HeatTemplates();
  static final PseudoParameters PSEUDO = new PseudoParameters("mystack", "stack-id-1", "project-1");
  static final JsonNodeFactory J = JsonNodeFactory.instance;

  private Fixtures() {}

  static PropertySchema prop(PropertyType type, boolean required, JsonNode def, Constraint... cs) {
    return new PropertySchema(type, "", required, def, true, false, List.of(cs), Map.of(), null,
        SupportStatus.SUPPORTED);
  }

  static final ResourceTypeCatalog TYPES = new ResourceTypeCatalog() {
    private final Map<String, ResourceSchema> types = build();

    private Map<String, ResourceSchema> build() {
      Map<String, ResourceSchema> m = new HashMap<>();
      m.put("OS::Heat::None", new ResourceSchema("OS::Heat::None", "", SupportStatus.SUPPORTED,
          Map.of(), Map.of()));
      Map<String, PropertySchema> test = new LinkedHashMap<>();
      test.put("value", prop(PropertyType.STRING, false, J.textNode("")));
      test.put("fail", prop(PropertyType.BOOLEAN, false, J.booleanNode(false)));
      test.put("wait_secs", prop(PropertyType.NUMBER, false, J.numberNode(0)));
      test.put("count", prop(PropertyType.INTEGER, false, null,
          new Constraint.Range(0.0, 10.0, null)));
      test.put("items", prop(PropertyType.LIST, false, null));
      test.put("data", prop(PropertyType.MAP, false, null));
      Map<String, AttributeSchema> testAttrs = new LinkedHashMap<>();
      testAttrs.put("output", new AttributeSchema("", "string", SupportStatus.SUPPORTED));
      testAttrs.put("details", new AttributeSchema("", "map", SupportStatus.SUPPORTED));
      m.put("OS::Heat::TestResource", new ResourceSchema("OS::Heat::TestResource", "",
          SupportStatus.SUPPORTED, test, testAttrs));
      Map<String, PropertySchema> rs = new LinkedHashMap<>();
      rs.put("length", prop(PropertyType.INTEGER, false, J.numberNode(32),
          new Constraint.Range(1.0, 512.0, null)));
      rs.put("sequence", prop(PropertyType.STRING, false, null,
          new Constraint.AllowedValues(List.of(J.textNode("lettersdigits"), J.textNode("hexdigits")), null)));
      m.put("OS::Heat::RandomString", new ResourceSchema("OS::Heat::RandomString", "",
          SupportStatus.SUPPORTED, rs, Map.of("value", new AttributeSchema("", "string", SupportStatus.SUPPORTED))));
      Map<String, PropertySchema> port = new LinkedHashMap<>();
      port.put("network", prop(PropertyType.STRING, true, null, new Constraint.Custom("neutron.network", null)));
      port.put("name", prop(PropertyType.STRING, false, null));
      m.put("OS::Neutron::Port", new ResourceSchema("OS::Neutron::Port", "", SupportStatus.SUPPORTED,
          port, Map.of("fixed_ips", new AttributeSchema("", "list", SupportStatus.SUPPORTED))));
      return m;
    }

    @Override
    public Optional<ResourceSchema> schema(String type) {
      return Optional.ofNullable(types.get(type));
    }
  };

  static ParsedStack parse(String yaml) {
    return HEAT.parse(TemplateSource.ofText(yaml), TYPES);
  }

  static BoundStack bind(String yaml, Map<String, JsonNode> params) {
    return parse(yaml).bind(params, PSEUDO, ConstraintChecker.NONE);
  }

  static BoundStack bind(String yaml) {
    return bind(yaml, Map.of());
  }

  static ResourceDefinition resource(BoundStack s, String name) {
    return s.resources().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
  }

  static OutputDefinition output(BoundStack s, String name) {
    return s.outputs().stream().filter(o -> o.name().equals(name)).findFirst().orElseThrow();
  }

  /** The value of an output that needs nothing live. */
  static JsonNode value(BoundStack s, String output) {
    return output(s, output).value().resolve(LIVE);
  }

  /** Resolves against a fake stack: ids are "<name>-id", attributes from {@link #ATTRS}. */
  static final Map<String, JsonNode> ATTRS = new HashMap<>();

  static final Resolver LIVE = new Resolver() {
    @Override
    public String resourceId(String resourceName) {
      return resourceName + "-id";
    }

    @Override
    public JsonNode attribute(String resourceName, String attributeName) {
      JsonNode all = ATTRS.get(resourceName);
      return all == null || !all.has(attributeName) ? J.nullNode() : all.get(attributeName);
    }

    @Override
    public JsonNode allAttributes(String resourceName) {
      JsonNode all = ATTRS.get(resourceName);
      return all == null ? J.objectNode() : all;
    }

    @Override
    public List<String> availabilityZones() {
      return List.of("nova", "az2");
    }
  };

  /** Asserts a refusal's Heat type and exact message. */
  static void refused(ThrowableAssert.ThrowingCallable call, String type, String message) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(ServiceException.class, e -> {
          org.assertj.core.api.Assertions.assertThat(e.kind()).isEqualTo(ServiceException.Kind.INVALID);
          org.assertj.core.api.Assertions.assertThat(e.type()).isEqualTo(type);
          org.assertj.core.api.Assertions.assertThat(e.getMessage()).isEqualTo(message);
        });
  }

  static JsonNode json(String text) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }
}
