package dev.kiln.cli;

/** The clouds.yaml entry that points the OpenStack clients at a Kiln. */
public final class CloudsYaml {
  private CloudsYaml() {}

  public static String render(String cloudName, String authUrl, String password) {
    return """
        clouds:
          %s:
            auth:
              auth_url: %s
              username: admin
              password: %s
              project_name: admin
              user_domain_name: Default
              project_domain_name: Default
            region_name: RegionOne
            identity_api_version: 3
            interface: public
        """
        .formatted(cloudName, authUrl, password);
  }
}
