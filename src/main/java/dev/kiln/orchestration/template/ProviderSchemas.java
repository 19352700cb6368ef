package dev.kiln.orchestration.template;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.orchestration.template.schema.AttributeSchema;
import dev.kiln.orchestration.template.schema.PropertySchema;
import dev.kiln.orchestration.template.schema.PropertyType;
import dev.kiln.orchestration.template.schema.ResourceSchema;
import dev.kiln.orchestration.template.schema.SupportStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The schema of a provider template used as a resource type (Heat's TemplateResource): its
 * parameters are the resource's properties (required when they have no default), its outputs
 * are the resource's attributes.
 */
final class ProviderSchemas {
  private ProviderSchemas() {}

  static ResourceSchema of(ResolvedType.ProviderTemplate provider) {
    JsonNode nested = TemplateReader.parseTemplate(provider.source().templateText(), provider.templateName());
    TemplateFormat format = Versions.of(nested);
    Keys keys = Keys.of(format);
    List<ParameterDefinition> params =
        ParameterSchemas.read(format, TemplateParser.section(nested, keys.parameters()));
    Map<String, PropertySchema> properties = new LinkedHashMap<>();
    for (ParameterDefinition p : params) {
      PropertyType type = switch (ParamType.of(p.type(), !format.isHot())) {
        case STRING -> PropertyType.STRING;
        case NUMBER -> PropertyType.NUMBER;
        case LIST -> PropertyType.LIST;
        case JSON -> PropertyType.MAP;
        case BOOLEAN -> PropertyType.BOOLEAN;
      };
      properties.put(p.name(), new PropertySchema(type, p.description(), p.defaultValue() == null,
          null, true, false, p.constraints(), Map.of(), null, SupportStatus.SUPPORTED));
    }
    Map<String, AttributeSchema> attributes = new LinkedHashMap<>();
    JsonNode outputs = TemplateParser.section(nested, keys.outputs());
    if (outputs.isObject()) {
      outputs.fields().forEachRemaining(e -> {
        JsonNode d = e.getValue().isObject() ? e.getValue().get(keys.outputDescription()) : null;
        attributes.put(e.getKey(), new AttributeSchema(d == null ? null : d.asText(), null, SupportStatus.SUPPORTED));
      });
    }
    return new ResourceSchema(provider.templateName(), "Provider template " + provider.templateName(),
        SupportStatus.SUPPORTED, properties, attributes);
  }
}
