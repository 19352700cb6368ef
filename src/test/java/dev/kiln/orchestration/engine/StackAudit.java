package dev.kiln.orchestration.engine;

import dev.kiln.store.Database;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares what the orchestration tables say exists with what does exist, for tests that kill
 * Kiln mid-operation. Each {@link Inventory} knows one kind of physical resource (nested stacks
 * here; part 2 adds one per cloud service: servers, ports, volumes, …) and reports what it finds
 * made twice, left behind or missing.
 */
final class StackAudit {
  /** One kind of thing resources make, checked against the resource rows. */
  interface Inventory {
    List<String> problems(Database db);
  }

  /** Nested stacks: exactly one live child per live nested-stack resource, none for deleted ones. */
  static final Inventory NESTED_STACKS =
      db -> {
        List<String> problems = new ArrayList<>();
        Map<String, String[]> children = new HashMap<>(); // parent resource row id -> child id, deleted
        db.sql().query(
            "SELECT id, parent_resource_id, deleted_at FROM heat_stack WHERE parent_resource_id IS NOT NULL",
            row -> children.put(row.getString("parent_resource_id"),
                new String[] {row.getString("id"), row.getString("deleted_at") == null ? "live" : "deleted"}));
        List<String[]> resources =
            db.sql().query(
                "SELECT id, name, physical_id, action, status FROM heat_resource WHERE type IN"
                    + " ('OS::Heat::ResourceGroup', 'OS::Heat::ResourceChain', 'OS::Heat::Stack')",
                row -> new String[] {row.getString("id"), row.getString("name"), row.getString("physical_id"),
                    row.getString("action") + "_" + row.getString("status")});
        for (String[] r : resources) {
          String[] child = children.remove(r[0]);
          boolean live = r[3].equals("CREATE_COMPLETE");
          if (live && (child == null || !child[1].equals("live") || !child[0].equals(r[2]))) {
            problems.add("resource " + r[1] + " (" + r[0] + ") is " + r[3] + " but its nested stack is "
                + (child == null ? "missing" : child[1] + " " + child[0] + ", physical id " + r[2]));
          }
          if (r[3].equals("DELETE_COMPLETE") && child != null && child[1].equals("live")) {
            problems.add("resource " + r[1] + " was deleted but its nested stack " + child[0] + " was left behind");
          }
        }
        children.forEach((parent, child) -> problems.add("nested stack " + child[0] + " has no parent resource " + parent));
        return problems;
      };

  /**
   * What a cloud resource type made, from its service's own table, against the rows of that type:
   * every thing of {@code project} belongs to exactly one live row (none made twice, none left
   * after its row was deleted), every live row's thing exists, and nothing rests in a transient
   * state ({@code stuck}: a SQL condition on the table, or null).
   */
  static Inventory cloud(String heatType, String table, String project, String ownFilter, String stuck) {
    return db -> {
      List<String> problems = new ArrayList<>();
      Map<String, List<String>> live = new HashMap<>(); // physical id -> live rows
      Map<String, String> deleted = new HashMap<>();
      db.sql().query(
          "SELECT s.name AS stack, r.name AS name, r.physical_id AS pid, r.action AS a, r.status AS st"
              + " FROM heat_resource r JOIN heat_stack s ON s.id = r.stack_id WHERE r.type = ?",
          row -> {
            String state = row.getString("a") + "_" + row.getString("st");
            String who = row.getString("stack") + "/" + row.getString("name") + " (" + state + ")";
            String pid = row.getString("pid");
            if (state.equals("DELETE_COMPLETE") || state.equals("INIT_COMPLETE")) {
              if (pid != null) {
                deleted.put(pid, who);
              }
            } else if (pid == null || pid.isEmpty()) {
              problems.add(heatType + " " + who + " has no physical id");
            } else {
              live.computeIfAbsent(pid, k -> new ArrayList<>()).add(who);
            }
            return null;
          },
          heatType);
      List<String> things =
          db.sql().query(
              "SELECT id FROM " + table + " WHERE project_id = ?" + (ownFilter == null ? "" : " AND " + ownFilter),
              row -> row.getString("id"), project);
      for (String thing : things) {
        List<String> owners = live.get(thing);
        if (owners == null) {
          problems.add(table + " " + thing + (deleted.containsKey(thing)
              ? " was left behind: its resource " + deleted.get(thing) + " is deleted"
              : " belongs to no resource (made twice?)"));
        } else if (owners.size() > 1) {
          problems.add(table + " " + thing + " is claimed by " + owners);
        }
      }
      live.forEach((pid, owners) -> {
        if (!things.contains(pid)) {
          problems.add(heatType + " " + owners + " is live but its " + table + " " + pid + " is missing");
        }
      });
      if (stuck != null) {
        db.sql().query(
            "SELECT id FROM " + table + " WHERE project_id = ? AND (" + stuck + ")",
            row -> problems.add(table + " " + row.getString("id") + " is stuck (" + stuck + ")"), project);
      }
      return problems;
    };
  }

  /**
   * Attachments: a volume attached to a server is so because of exactly one live attachment
   * resource (whose physical id is the volume's), and every live attachment resource's volume is
   * attached.
   */
  static Inventory attachments(String project) {
    return db -> {
      List<String> problems = new ArrayList<>();
      List<String> live =
          db.sql().query(
              "SELECT physical_id FROM heat_resource WHERE type = 'OS::Cinder::VolumeAttachment'"
                  + " AND NOT (action = 'DELETE' AND status = 'COMPLETE') AND NOT (action = 'INIT')",
              row -> row.getString("physical_id"));
      List<String> attached =
          db.sql().query(
              "SELECT volume_id FROM volume_attachment WHERE project_id = ?", row -> row.getString("volume_id"), project);
      for (String volume : attached) {
        if (java.util.Collections.frequency(attached, volume) > 1) {
          problems.add("volume " + volume + " is attached more than once");
        }
        if (!live.contains(volume)) {
          problems.add("volume " + volume + " is attached but no live attachment resource says so");
        }
      }
      for (String volume : live) {
        if (!attached.contains(volume)) {
          problems.add("attachment resource of volume " + volume + " is live but the volume is not attached");
        }
      }
      db.sql().query(
          "SELECT id, status FROM volume_volume WHERE project_id = ? AND status NOT IN ('available', 'in-use')",
          row -> problems.add("volume " + row.getString("id") + " is stuck " + row.getString("status")), project);
      return problems;
    };
  }

  /** Every cloud service's inventory, for the resources of {@code project}. */
  static List<Inventory> cloud(String project) {
    return List.of(
        cloud("OS::Neutron::Net", "network_network", project, null, null),
        cloud("OS::Neutron::Subnet", "network_subnet", project, null, null),
        cloud("OS::Neutron::Port", "network_port", project, "device_owner NOT LIKE 'network:%'", null),
        cloud("OS::Cinder::Volume", "volume_volume", project, null, null),
        cloud("OS::Nova::Server", "compute_server", project, null, "status <> 'ACTIVE' OR task_state IS NOT NULL"),
        attachments(project));
  }

  private StackAudit() {}

  /** The tables' own consistency, then each inventory's findings. */
  static List<String> problems(Database db, List<Inventory> inventories) {
    List<String> problems = new ArrayList<>();
    db.sql().query(
        "SELECT id, name, action, status, status_reason FROM heat_stack",
        row -> {
          String state = row.getString("action") + "_" + row.getString("status");
          if (!java.util.Set.of("CREATE_COMPLETE", "UPDATE_COMPLETE", "ROLLBACK_COMPLETE", "DELETE_COMPLETE")
              .contains(state)) {
            problems.add("stack " + row.getString("name") + " ended " + state + ": " + row.getString("status_reason"));
          }
          return null;
        });
    // A settled stack's resources are settled: created or updated (deleted, for a deleted stack).
    db.sql().query(
        "SELECT s.name AS stack, s.action AS sa, r.name AS resource, r.action AS ra, r.status AS rs"
            + " FROM heat_resource r JOIN heat_stack s ON s.id = r.stack_id WHERE r.is_current = TRUE"
            + " AND s.status = 'COMPLETE' AND (r.status <> 'COMPLETE'"
            + " OR (s.action IN ('CREATE', 'DELETE') AND r.action <> s.action)"
            + " OR (s.action IN ('UPDATE', 'ROLLBACK') AND r.action NOT IN ('CREATE', 'UPDATE')))",
        row -> problems.add("stack " + row.getString("stack") + " is " + row.getString("sa") + "_COMPLETE but its"
            + " resource " + row.getString("resource") + " is " + row.getString("ra") + "_" + row.getString("rs")));
    // Nothing an update replaced or removed is left: every row that is not current was deleted.
    db.sql().query(
        "SELECT s.name AS stack, r.name AS resource, r.generation AS g, r.action AS ra, r.status AS rs"
            + " FROM heat_resource r JOIN heat_stack s ON s.id = r.stack_id WHERE r.is_current = FALSE"
            + " AND s.status = 'COMPLETE' AND NOT (r.action = 'DELETE' AND r.status = 'COMPLETE')",
        row -> problems.add("stack " + row.getString("stack") + " left generation " + row.getInt("g") + " of "
            + row.getString("resource") + " behind, " + row.getString("ra") + "_" + row.getString("rs")));
    db.sql().query(
        "SELECT stack_id, name, COUNT(*) AS n FROM heat_resource WHERE is_current = TRUE GROUP BY stack_id, name"
            + " HAVING COUNT(*) > 1",
        row -> problems.add("resource " + row.getString("name") + " of " + row.getString("stack_id") + " has "
            + row.getLong("n") + " current rows"));
    for (Inventory inventory : inventories) {
      problems.addAll(inventory.problems(db));
    }
    return problems;
  }
}
