package dev.kiln.compute.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.compute.actions.ServerDiagnostics;
import dev.kiln.compute.actions.ServerDiagnostics.Diagnostics;
import dev.kiln.http.Access;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;

/**
 * {@code GET /servers/{id}/diagnostics} (admins): from 2.48 the standard body every driver gives
 * (driver {@code libvirt}, as the QEMU hosts Kiln simulates would report); before 2.48 the flat
 * map the libvirt driver gave ({@code cpu0_time}, {@code memory}, {@code vda_read}, {@code
 * tap…_rx}, …).
 */
final class ServerDiagnosticsApi {
  private final ServerDiagnostics diagnostics;

  ServerDiagnosticsApi(ServerDiagnostics diagnostics) {
    this.diagnostics = requireNonNull(diagnostics, "diagnostics is null");
  }

  void register(ApiRoutes routes) {
    routes.get("/v2.1/servers/{server_id}/diagnostics", Access.AUTHENTICATED, this::show);
  }

  private ApiResponse show(ApiRequest request) {
    Diagnostics d = diagnostics.of(request.caller().actor(), request.pathParam("server_id"));
    return ApiResponse.ok(Nova.atLeast(request, 48) ? standard(d) : legacy(d));
  }

  private static ObjectNode standard(Diagnostics d) {
    ObjectNode o = Json.object();
    o.put("state", d.state());
    o.put("driver", "libvirt");
    o.put("hypervisor", "qemu");
    o.put("hypervisor_os", "linux");
    if (d.uptimeSeconds() == null) {
      o.putNull("uptime");
    } else {
      o.put("uptime", d.uptimeSeconds());
    }
    o.put("config_drive", false);
    o.put("num_cpus", d.vcpus());
    o.put("num_nics", d.nicMacs().size());
    o.put("num_disks", d.disks().size());
    ObjectNode memory = o.putObject("memory_details");
    memory.put("maximum", d.memoryMb());
    memory.put("used", 0);
    ArrayNode cpus = o.putArray("cpu_details");
    for (int i = 0; i < d.vcpus(); i++) {
      cpus.addObject().put("id", i).put("time", 0).put("utilisation", 0);
    }
    ArrayNode nics = o.putArray("nic_details");
    for (String mac : d.nicMacs()) {
      ObjectNode n = nics.addObject().put("mac_address", mac);
      for (String field :
          new String[] {"rx_octets", "rx_errors", "rx_drop", "rx_packets", "rx_rate", "tx_octets", "tx_errors",
            "tx_drop", "tx_packets", "tx_rate"}) {
        n.put(field, 0);
      }
    }
    ArrayNode disks = o.putArray("disk_details");
    for (int i = 0; i < d.disks().size(); i++) {
      disks.addObject()
          .put("read_bytes", 0).put("read_requests", 0).put("write_bytes", 0).put("write_requests", 0)
          .put("errors_count", 0);
    }
    return o;
  }

  private static ObjectNode legacy(Diagnostics d) {
    ObjectNode o = Json.object();
    for (int i = 0; i < d.vcpus(); i++) {
      o.put("cpu" + i + "_time", 0);
    }
    long kib = d.memoryMb() * 1024L;
    o.put("memory", kib);
    o.put("memory-actual", kib);
    o.put("memory-rss", 0);
    for (String disk : d.disks()) {
      o.put(disk + "_read", 0).put(disk + "_read_req", 0).put(disk + "_write", 0).put(disk + "_write_req", 0)
          .put(disk + "_errors", -1);
    }
    for (int i = 0; i < d.nicMacs().size(); i++) {
      String tap = "tap" + i;
      o.put(tap + "_rx", 0).put(tap + "_rx_packets", 0).put(tap + "_rx_errors", 0).put(tap + "_rx_drop", 0)
          .put(tap + "_tx", 0).put(tap + "_tx_packets", 0).put(tap + "_tx_errors", 0).put(tap + "_tx_drop", 0);
    }
    return o;
  }
}
