package dev.kiln.network.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.common.ServiceException;
import dev.kiln.http.Access;
import dev.kiln.http.ApiRequest;
import dev.kiln.http.ApiResponse;
import dev.kiln.http.ApiRoutes;
import dev.kiln.http.Json;

/**
 * {@code /v2.0/agents}. Kiln's networking runs no agents (no L2, DHCP or L3 agent processes: the
 * data plane is simulated), so the list is empty for everyone, as a Neutron whose plugin
 * reports no agents answers it; one agent is never found. The {@code agent} extension is not
 * listed, so clients that manage agents know there are none to manage.
 */
final class AgentsApi {
  private static final String AGENTS = "/v2.0/agents";

  void register(ApiRoutes routes) {
    routes
        .get(AGENTS, Access.AUTHENTICATED, this::list)
        .get(AGENTS + "/{agent_id}", Access.AUTHENTICATED, this::show);
  }

  private ApiResponse list(ApiRequest request) {
    ObjectNode body = Json.object();
    body.putArray("agents");
    return ApiResponse.ok(body);
  }

  private ApiResponse show(ApiRequest request) {
    String id = request.pathParam("agent_id");
    throw ServiceException.notFound("AgentNotFound", "Agent " + id + " could not be found.");
  }
}
