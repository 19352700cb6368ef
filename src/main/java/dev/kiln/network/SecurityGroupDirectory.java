package dev.kiln.network;

import java.util.List;

/** What ports need from security groups: the project's default group, and a check of ids. */
public interface SecurityGroupDirectory {
  /** The project's {@code default} group, created on first use. */
  String defaultGroupId(String projectId);

  /** Fails with {@code SecurityGroupNotFound} unless every group exists and the caller may use it. */
  void checkUsable(String projectId, boolean admin, List<String> ids);
}
