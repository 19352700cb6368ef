package dev.kiln.orchestration.resources.software;

import dev.kiln.orchestration.resources.Cloud;
import dev.kiln.orchestration.resources.ResourceType;
import dev.kiln.orchestration.software.SoftwareService;
import dev.kiln.orchestration.software.StackUsers;
import java.util.List;

/** The software configuration family: configs, deployments and deployment groups, and the wait condition handles that stack users signal. */
public final class SoftwareTypes {
  private SoftwareTypes() {}

  public static List<ResourceType> all(Cloud cloud, SoftwareService software) {
    StackUsers users = new StackUsers(cloud.identity());
    return List.of(
        SoftwareConfigResource.plain(software),
        SoftwareConfigResource.structured(software),
        RenderedConfigs.cloudConfig(software),
        RenderedConfigs.multipartMime(software),
        new SoftwareDeploymentResource(cloud, software, users, false),
        new SoftwareDeploymentResource(cloud, software, users, true),
        new DeploymentGroup(false),
        new DeploymentGroup(true),
        DeploymentGroup.deprecatedName(false),
        DeploymentGroup.deprecatedName(true),
        // With a cloud, a handle's token is a stack user's Keystone token (these take the builtins' place).
        dev.kiln.orchestration.resources.WaitConditionHandle.plain().withTokens(new StackUserTokens(users)),
        dev.kiln.orchestration.resources.WaitConditionHandle.updating().withTokens(new StackUserTokens(users)));
  }
}
