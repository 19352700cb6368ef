package dev.kiln.compute.actions;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** What every action task's payload starts with: the server and the request that asked. */
final class ActionTasks {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ActionTasks() {}

  /** A payload naming the server and the request id its instance action is recorded under. */
  static ObjectNode payload(String serverId, String requestId) {
    return JSON.createObjectNode().put("server_id", serverId).put("request_id", requestId);
  }
}
