package dev.kiln.reliability;

import static dev.kiln.reliability.CrashLedger.NEUTRON;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The harness stacks against the services' resources, once everything settled: every stack ended
 * (*_COMPLETE or *_FAILED) with no resource in progress; each port and volume resource that says
 * it is made names one that exists; and every port or volume the harness's stacks made (named
 * after their stack, {@link CrashWorkload#STACK_PREFIX}) belongs to a live stack's resource row:
 * none made twice, none left behind by a delete.
 */
final class StackChecks {
  private StackChecks() {}

  static List<String> violations(Api admin) {
    String project = CrashWorkload.projectOf(admin);
    String heat = "/heat-api/v1/" + project;
    String cinder = "/volume/v3/" + project;
    List<String> out = new ArrayList<>();
    Map<String, String> physicalOwner = new HashMap<>(); // port or volume id -> stack name
    for (JsonNode stack : admin.get(heat + "/stacks").expect(200).get("stacks")) {
      String name = stack.path("stack_name").asText();
      String status = stack.path("stack_status").asText();
      if (!name.startsWith(CrashWorkload.STACK_PREFIX)) {
        continue;
      }
      if (!status.endsWith("_COMPLETE") && !status.endsWith("_FAILED")) {
        out.add("stack " + name + " ended " + status);
      }
      String path = heat + "/stacks/" + name + "/" + stack.path("id").asText();
      for (JsonNode r : admin.get(path + "/resources").expect(200).get("resources")) {
        String type = r.path("resource_type").asText();
        String rStatus = r.path("resource_status").asText();
        String physical = r.path("physical_resource_id").asText("");
        if (rStatus.endsWith("_IN_PROGRESS")) {
          out.add("stack " + name + " resource " + r.path("resource_name").asText() + " still " + rStatus);
        }
        if (physical.isEmpty() || !(type.equals("OS::Neutron::Port") || type.equals("OS::Cinder::Volume"))) {
          continue;
        }
        physicalOwner.put(physical, name);
        String url = type.equals("OS::Neutron::Port") ? NEUTRON + "/ports/" + physical : cinder + "/volumes/" + physical;
        if (rStatus.equals("CREATE_COMPLETE") && admin.get(url).status() != 200) {
          out.add("stack " + name + " resource " + r.path("resource_name").asText() + " names " + physical
              + " which does not exist");
        }
      }
    }
    for (JsonNode port : admin.get(NEUTRON + "/ports").expect(200).get("ports")) {
      orphan(out, "port", port, physicalOwner);
    }
    for (JsonNode volume : admin.get(cinder + "/volumes/detail?all_tenants=1").expect(200).get("volumes")) {
      orphan(out, "volume", volume, physicalOwner);
    }
    return out;
  }

  private static void orphan(List<String> out, String kind, JsonNode made, Map<String, String> physicalOwner) {
    String name = made.path("name").asText("");
    String id = made.path("id").asText();
    if (!name.startsWith(CrashWorkload.STACK_PREFIX)) {
      return;
    }
    String owner = physicalOwner.get(id);
    if (!name.equals(owner)) {
      out.add(kind + " " + id + " named " + name + " belongs to no resource of a live stack"
          + (owner == null ? "" : " (it is " + owner + "'s)") + ": left behind or made twice");
    }
  }
}
