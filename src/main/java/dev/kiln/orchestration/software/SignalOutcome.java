package dev.kiln.orchestration.software;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * What a deployment signal means: the outputs it carries (declared outputs, plus the three deploy_*
 * values always) and whether the deployment completed or failed. A non-zero {@code
 * deploy_status_code} fails it with the code and the script's stderr in the reason; an output
 * marked {@code error_output} that is present fails it with that output's value.
 */
record SignalOutcome(ObjectNode outputs, String status, String reason, String eventReason) {
  static final List<String> DEPLOY_OUTPUTS = List.of("deploy_stdout", "deploy_stderr", "deploy_status_code");

  static SignalOutcome of(SoftwareConfig config, ObjectNode previous, JsonNode signal) {
    JsonNode details = signal != null && signal.isObject() ? signal : com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    ObjectNode outputs = previous.deepCopy();
    List<String> reasons = new ArrayList<>();
    boolean failed = false;
    String eventReason = "deployment succeeded";
    JsonNode code = details.get("deploy_status_code");
    if (code != null && !code.isNull() && !code.asText().isEmpty() && !code.asText().equals("0")) {
      failed = true;
      reasons.add("deploy_status_code : Deployment exited with non-zero status code: " + code.asText());
      JsonNode stderr = details.get("deploy_stderr");
      if (stderr != null && !stderr.isNull() && !stderr.asText().isBlank()) {
        reasons.add("deploy_stderr : " + stderr.asText().strip());
      }
      eventReason = "deployment failed (" + code.asText() + ")";
    }
    for (JsonNode output : config.outputs()) {
      String name = output.path("name").asText();
      if (details.has(name)) {
        outputs.set(name, details.get(name));
        if (output.path("error_output").asBoolean(false)) {
          failed = true;
          reasons.add(name + " : " + text(details.get(name)));
          eventReason = "deployment failed";
        }
      }
    }
    for (String name : DEPLOY_OUTPUTS) {
      JsonNode value = details.get(name);
      if (value == null) {
        outputs.putNull(name);
      } else {
        outputs.set(name, value);
      }
    }
    return failed
        ? new SignalOutcome(outputs, SoftwareDeployment.FAILED, String.join(", ", reasons), eventReason)
        : new SignalOutcome(outputs, SoftwareDeployment.COMPLETE, "Outputs received", eventReason);
  }

  private static String text(JsonNode value) {
    return value.isTextual() ? value.asText() : value.toString();
  }
}
