package dev.kiln.cli;

import dev.kiln.KilnConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kiln clouds-yaml}: prints the clouds.yaml for a Kiln started with the same options. */
@Command(
    name = "clouds-yaml",
    mixinStandardHelpOptions = true,
    description =
        "Print a clouds.yaml for the Kiln started with the same options; save it as"
            + " ~/.config/openstack/clouds.yaml and run: openstack --os-cloud kiln token issue")
public final class CloudsYamlCommand implements Callable<Integer> {
  @Mixin ServerOptions options;

  @Option(names = "--cloud", description = "Name of the cloud entry (default: ${DEFAULT-VALUE}).")
  String cloud = "kiln";

  @Override
  public Integer call() {
    KilnConfig config = options.toConfig();
    System.out.print(
        CloudsYaml.render(cloud, config.baseUrl(config.port()) + "/identity/v3", config.adminPassword()));
    return 0;
  }
}
