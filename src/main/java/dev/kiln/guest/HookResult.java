package dev.kiln.guest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a deployment went: the outputs it produced, and its {@code deploy_stdout}, {@code
 * deploy_stderr} and {@code deploy_status_code}, which together are the signal sent back.
 */
public record HookResult(Map<String, JsonNode> outputs, String stdout, String stderr, int statusCode) {
  public HookResult {
    outputs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
    stdout = stdout == null ? "" : stdout;
    stderr = stderr == null ? "" : stderr;
  }

  /** A deployment that did not run: no outputs, no stdout, the reason as stderr. */
  public static HookResult failed(int statusCode, String reason) {
    return new HookResult(Map.of(), "", reason, statusCode);
  }

  /** The signal body heat-config-notify sends: the outputs, then the three deploy_ keys. */
  public ObjectNode signalData() {
    ObjectNode data = GuestHttp.JSON.createObjectNode();
    outputs.forEach(data::set);
    data.put("deploy_stdout", stdout);
    data.put("deploy_stderr", stderr);
    data.put("deploy_status_code", statusCode);
    return data;
  }
}
