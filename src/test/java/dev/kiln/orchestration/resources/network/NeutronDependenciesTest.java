package dev.kiln.orchestration.resources.network;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.kiln.orchestration.template.TemplateResource;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Heat's implicit Neutron dependencies, found from the template's resources as written. */
class NeutronDependenciesTest {
  private static final JsonMapper J = new JsonMapper();

  private static TemplateResource r(String name, String type, String properties) {
    try {
      JsonNode props = J.readTree(properties);
      return new TemplateResource(name, type, props);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private final List<TemplateResource> all = List.of(
      r("net", "OS::Neutron::Net", "{}"),
      r("other", "OS::Neutron::Net", "{}"),
      r("subnet", "OS::Neutron::Subnet", "{\"network\": {\"get_resource\": \"net\"}, \"cidr\": \"10.0.0.0/24\"}"),
      r("subnet6", "OS::Neutron::Subnet", "{\"network_id\": {\"get_resource\": \"net\"}, \"cidr\": \"fd00::/64\"}"),
      r("elsewhere", "OS::Neutron::Subnet", "{\"network\": {\"get_resource\": \"other\"}, \"cidr\": \"10.1.0.0/24\"}"),
      r("public-subnet", "OS::Neutron::Subnet", "{\"network\": \"public\", \"cidr\": \"172.24.0.0/24\"}"),
      r("port", "OS::Neutron::Port", "{\"network\": {\"get_resource\": \"net\"}}"),
      r("router", "OS::Neutron::Router", "{\"external_gateway_info\": {\"network\": \"public\"}}"),
      r("iface", "OS::Neutron::RouterInterface",
          "{\"router\": {\"get_resource\": \"router\"}, \"subnet\": {\"get_resource\": \"subnet\"}}"),
      r("fip", "OS::Neutron::FloatingIP", "{\"floating_network\": \"public\", \"port_id\": {\"get_resource\": \"port\"}}"),
      r("assoc", "OS::Neutron::FloatingIPAssociation",
          "{\"floatingip_id\": {\"get_resource\": \"fip\"}, \"port_id\": {\"get_resource\": \"port\"}}"),
      r("server", "OS::Nova::Server", "{\"networks\": [{\"network\": {\"get_resource\": \"other\"}}]}"),
      r("portOnly", "OS::Nova::Server", "{\"networks\": [{\"port\": {\"get_resource\": \"port\"}}]}"));

  private TemplateResource named(String name) {
    return all.stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void aPortWaitsForEverySubnetOfItsNetworkWhateverNameTheyUse() {
    assertThat(NeutronDependencies.ofPort(named("port"), all)).containsExactlyInAnyOrder("subnet", "subnet6");
  }

  @Test
  void aRoutersGatewayWaitsForTheSubnetsOfTheExternalNetwork() {
    assertThat(NeutronDependencies.ofRouter(named("router"), all)).containsExactly("public-subnet");
  }

  @Test
  void aFloatingIpWaitsForTheGatewayRouterAndTheInterfaceOnItsPortsSubnet() {
    assertThat(NeutronDependencies.ofFloatingIp(named("fip"), all)).containsExactlyInAnyOrder("router", "iface");
    assertThat(NeutronDependencies.ofFloatingIpAssociation(named("assoc"), all)).containsExactly("iface");
  }

  @Test
  void aServerWaitsForTheSubnetsOfItsNetworksAndForEverySubnetWhenItNamesOnlyAPort() {
    assertThat(NeutronDependencies.ofServer(named("server"), all)).containsExactly("elsewhere");
    assertThat(NeutronDependencies.ofServer(named("portOnly"), all))
        .containsExactlyInAnyOrder("subnet", "subnet6", "elsewhere", "public-subnet");
  }
}
