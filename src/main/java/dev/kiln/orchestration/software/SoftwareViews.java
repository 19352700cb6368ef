package dev.kiln.orchestration.software;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** Heat's JSON shapes of a software config and a software deployment. */
public final class SoftwareViews {
  private static final DateTimeFormatter ISO =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  private SoftwareViews() {}

  /** A config; {@code detail} adds config, inputs, outputs and options (list answers omit them). */
  public static ObjectNode config(SoftwareConfig c, boolean detail) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("id", c.id());
    o.put("name", c.name());
    o.put("group", c.group());
    o.put("creation_time", time(c.createdAt()));
    if (detail) {
      o.set("config", c.config());
      o.set("inputs", c.inputs());
      o.set("outputs", c.outputs());
      o.set("options", c.options());
    }
    return o;
  }

  public static ObjectNode deployment(SoftwareDeployment d) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("id", d.id());
    o.put("server_id", d.serverId());
    o.set("input_values", d.inputValues());
    o.set("output_values", d.outputValues());
    o.put("action", d.action());
    o.put("status", d.status());
    o.put("status_reason", d.statusReason());
    o.put("config_id", d.configId());
    o.put("creation_time", time(d.createdAt()));
    o.put("updated_time", d.updatedAt() == null ? null : time(d.updatedAt()));
    return o;
  }

  private static String time(Instant t) {
    return ISO.format(t.truncatedTo(ChronoUnit.SECONDS));
  }
}
