package dev.kiln.compute.attach;

import static dev.kiln.testing.Cloud.NET;
import static dev.kiln.testing.Cloud.NOVA;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.Await;
import dev.kiln.testing.Cloud;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.OpenStackCli;
import dev.kiln.testing.Tenant;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * os-interface: a user's port moves between servers keeping its id, MAC and address; a port
 * Compute made for a network goes with its detach; wrong states and ports in use are refused.
 */
class InterfacesApiTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static Api admin;
  private static Api member;
  private static String imageId;
  private static String networkId;

  @BeforeAll
  static void start() {
    admin = kiln.admin();
    Tenant tenant = Tenant.create(kiln, admin, "ifc", "ifc-user");
    member = tenant.atNova("2.70");
    imageId = Cloud.cirros(member);
    networkId = Cloud.network(member, "ifnet", "10.8.0.0/24");
  }

  private static String boot(String name) {
    return Cloud.awaitActive(member, Cloud.boot(member, imageId, "\"none\"", name));
  }

  private static JsonNode port(String id) {
    return admin.get(NET + "/ports/" + id).expect(200).get("port");
  }

  private static String userPort() {
    return member.post(NET + "/ports", "{\"port\": {\"network_id\": \"" + networkId + "\", \"name\": \"mine\"}}").expect(201)
        .at("/port/id").asText();
  }

  private static Api.Response attachPort(String server, String port) {
    return member.post(NOVA + "/servers/" + server + "/os-interface", "{\"interfaceAttachment\": {\"port_id\": \"" + port + "\"}}");
  }

  @Test
  void twoAttachesOfOnePortToOneServerNeverBothSucceedAndTheWinnerKeepsIt() throws Exception {
    String s = boot("ifc-race");
    for (int round = 0; round < 15; round++) {
      String p = userPort();
      java.util.concurrent.CompletableFuture<Api.Response> first =
          java.util.concurrent.CompletableFuture.supplyAsync(() -> attachPort(s, p));
      java.util.concurrent.CompletableFuture<Api.Response> second =
          java.util.concurrent.CompletableFuture.supplyAsync(() -> attachPort(s, p));
      List<Integer> statuses = List.of(first.get().status(), second.get().status());
      // One attach wins; the other finds the server busy or the port in use (409), as Nova says.
      assertThat(statuses).as("round %d", round).containsExactlyInAnyOrder(200, 409);
      awaitNoTask(s);
      assertThat(port(p).get("device_id").asText()).as("round %d: the winner's port", round).isEqualTo(s);
      assertThat(member.get(NOVA + "/servers/" + s + "/os-interface").expect(200).findValuesAsText("port_id")).contains(p);
      member.delete(NOVA + "/servers/" + s + "/os-interface/" + p).expect(202);
      awaitNoTask(s);
    }
  }

  /**
   * An admin's reset-state while a detach holds the server takes the task state from it: the
   * detach still answers once its work is done (it waited out its request's whole time, then
   * answered 500, for the operation was never settled).
   */
  @Test
  void aDetachWhoseServerIsResetMeanwhileStillAnswers() throws Exception {
    String s = boot("ifc-reset");
    String p = userPort();
    attachPort(s, p).expect(200);
    admin.put(NOVA + "/os-kiln-faults/detach_interface", "{\"kiln_fault\": {\"latency_ms\": 1500}}").expect(200);
    try {
      java.util.concurrent.CompletableFuture<Api.Response> detach =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () -> member.delete(NOVA + "/servers/" + s + "/os-interface/" + p));
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(
          () -> "interface_detaching".equals(
              admin.get(NOVA + "/servers/" + s).expect(200).at("/server/OS-EXT-STS:task_state").asText()));
      admin.post(NOVA + "/servers/" + s + "/action", "{\"os-resetState\": {\"state\": \"active\"}}").expect(202);

      Api.Response answer = detach.get(20, java.util.concurrent.TimeUnit.SECONDS);

      assertThat(answer.status()).as("the detach's answer").isEqualTo(202);
      assertThat(port(p).get("device_id").asText()).as("the port's device after the detach").isEmpty();
    } finally {
      admin.delete(NOVA + "/os-kiln-faults/detach_interface").expect(204);
    }
  }

  @Test
  void anAttachWhoseServerIsResetMeanwhileStillAnswers() throws Exception {
    String s = boot("ifc-reset-attach");
    String p = userPort();
    admin.put(NOVA + "/os-kiln-faults/attach_interface", "{\"kiln_fault\": {\"latency_ms\": 1500}}").expect(200);
    try {
      java.util.concurrent.CompletableFuture<Api.Response> attach =
          java.util.concurrent.CompletableFuture.supplyAsync(() -> attachPort(s, p));
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(
          () -> "interface_attaching".equals(
              admin.get(NOVA + "/servers/" + s).expect(200).at("/server/OS-EXT-STS:task_state").asText()));
      admin.post(NOVA + "/servers/" + s + "/action", "{\"os-resetState\": {\"state\": \"active\"}}").expect(202);

      Api.Response answer = attach.get(20, java.util.concurrent.TimeUnit.SECONDS);

      // Nova's compute finishes an attach whatever the API's state says meanwhile.
      assertThat(answer.status()).as("the attach's answer: " + answer.body()).isEqualTo(200);
      assertThat(port(p).get("device_id").asText()).as("the port's device after the attach").isEqualTo(s);
      assertThat(member.get(NOVA + "/servers/" + s + "/os-interface").expect(200).get("interfaceAttachments")
              .findValuesAsText("port_id"))
          .contains(p);
    } finally {
      admin.delete(NOVA + "/os-kiln-faults/attach_interface").expect(204);
    }
  }

  private static void awaitNoTask(String server) {
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(
        () -> admin.get(NOVA + "/servers/" + server).expect(200).at("/server/OS-EXT-STS:task_state").isNull());
  }

  @Test
  void aDetachedUserPortMovesToAnotherServerWithItsIdMacAndAddress() {
    String s1 = boot("ifc-s1");
    String s2 = boot("ifc-s2");
    String p = userPort();
    JsonNode before = port(p);

    JsonNode attached = attachPort(s1, p).expect(200).get("interfaceAttachment");
    assertThat(attached.get("port_id").asText()).isEqualTo(p);
    assertThat(attached.get("net_id").asText()).isEqualTo(networkId);
    assertThat(attached.get("mac_addr").asText()).isEqualTo(before.get("mac_address").asText());
    assertThat(attached.at("/fixed_ips/0/ip_address").asText()).isEqualTo(before.at("/fixed_ips/0/ip_address").asText());
    JsonNode bound = port(p);
    assertThat(bound.get("device_id").asText()).isEqualTo(s1);
    assertThat(bound.get("device_owner").asText()).startsWith("compute:");
    assertThat(bound.get("binding:host_id").asText()).isNotEmpty();
    assertThat(member.get(NOVA + "/servers/" + s1).expect(200).at("/server/addresses/ifnet/0/addr").asText())
        .isEqualTo(before.at("/fixed_ips/0/ip_address").asText());

    // Bound to S1: S2 cannot take it.
    assertThat(attachPort(s2, p).expect(409).at("/conflictingRequest/message").asText()).contains(p);

    member.delete(NOVA + "/servers/" + s1 + "/os-interface/" + p).expect(202);
    JsonNode detached = port(p);
    assertThat(detached.get("device_id").asText()).isEmpty();
    assertThat(detached.get("device_owner").asText()).isEmpty();
    assertThat(detached.get("binding:host_id").asText()).isEmpty();
    assertThat(detached.get("status").asText()).isEqualTo("DOWN");
    assertThat(member.get(NOVA + "/servers/" + s1 + "/os-interface").expect(200).get("interfaceAttachments")).isEmpty();

    JsonNode moved = attachPort(s2, p).expect(200).get("interfaceAttachment");
    assertThat(moved.get("port_id").asText()).isEqualTo(p);
    JsonNode after = port(p);
    assertThat(after.get("id").asText()).isEqualTo(before.get("id").asText());
    assertThat(after.get("mac_address").asText()).isEqualTo(before.get("mac_address").asText());
    assertThat(after.get("fixed_ips")).isEqualTo(before.get("fixed_ips"));
    assertThat(after.get("device_id").asText()).isEqualTo(s2);

    // Deleting S2 keeps the user's port.
    member.delete(NOVA + "/servers/" + s2).expect(204);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (member.get(NOVA + "/servers/" + s2).status() != 404) {
      assertThat(System.nanoTime()).isLessThan(deadline);
      Await.pause();
    }
    assertThat(port(p).get("device_id").asText()).isEmpty();
    assertThat(port(p).get("mac_address").asText()).isEqualTo(before.get("mac_address").asText());
  }

  @Test
  void aNetworkTagGivenAtBootIsShownOnItsInterface() {
    String s = Cloud.awaitActive(member, Cloud.boot(member, imageId,
        "[{\"uuid\": \"" + networkId + "\", \"tag\": \"boot-nic\"}]", "ifc-tagged"));
    JsonNode interfaces = member.get(NOVA + "/servers/" + s + "/os-interface").expect(200).get("interfaceAttachments");
    assertThat(interfaces).hasSize(1);
    assertThat(interfaces.get(0).get("tag").asText()).isEqualTo("boot-nic");
    assertThat(member.post(NOVA + "/servers", "{\"server\": {\"name\": \"bad-tag\", \"flavorRef\": \"1\", \"imageRef\": \""
            + imageId + "\", \"networks\": [{\"uuid\": \"" + networkId + "\", \"tag\": \"a/b\"}]}}").status())
        .isEqualTo(400);
  }

  @Test
  void aPortComputeMadeOnANetworkIsDeletedOnDetach() {
    String s = boot("ifc-net");
    JsonNode attached =
        member.post(
            NOVA + "/servers/" + s + "/os-interface",
            "{\"interfaceAttachment\": {\"net_id\": \"" + networkId + "\", \"fixed_ips\": [{\"ip_address\": \"10.8.0.77\"}],"
                + " \"tag\": \"data\"}}").expect(200).get("interfaceAttachment");
    String p = attached.get("port_id").asText();
    assertThat(attached.at("/fixed_ips/0/ip_address").asText()).isEqualTo("10.8.0.77");
    assertThat(attached.get("tag").asText()).isEqualTo("data");
    JsonNode listed = member.get(NOVA + "/servers/" + s + "/os-interface/" + p).expect(200).get("interfaceAttachment");
    assertThat(listed.get("port_state").asText()).isEqualTo("ACTIVE");

    member.delete(NOVA + "/servers/" + s + "/os-interface/" + p).expect(202);
    admin.get(NET + "/ports/" + p).expect(404);
    member.get(NOVA + "/servers/" + s + "/os-interface/" + p).expect(404);
  }

  @Test
  void badAttachesAreRefusedAndChangeNothing() {
    String s = boot("ifc-bad");
    String p = userPort();
    member.post(NOVA + "/servers/" + s + "/os-interface",
        "{\"interfaceAttachment\": {\"port_id\": \"" + p + "\", \"net_id\": \"" + networkId + "\"}}").expect(400);
    member.post(NOVA + "/servers/" + s + "/os-interface",
        "{\"interfaceAttachment\": {\"port_id\": \"not-a-uuid\"}}").expect(400);
    member.post(NOVA + "/servers/" + s + "/os-interface",
        "{\"interfaceAttachment\": {\"port_id\": \"00000000-0000-0000-0000-000000000000\"}}").expect(404);
    member.post(NOVA + "/servers/" + s + "/os-interface",
        "{\"interfaceAttachment\": {\"fixed_ips\": [{\"ip_address\": \"10.8.0.9\"}]}}").expect(400);
    member.delete(NOVA + "/servers/" + s + "/os-interface/" + p).expect(404);

    member.post(NOVA + "/servers/" + s + "/action", "{\"pause\": null}").expect(202);
    member.post(NOVA + "/servers/" + s + "/action", "{\"lock\": null}").expect(202);
    assertThat(attachPort(s, p).expect(409).at("/conflictingRequest/message").asText()).contains("locked");
    member.post(NOVA + "/servers/" + s + "/action", "{\"unlock\": null}").expect(202);
    assertThat(port(p).get("device_id").asText()).isEmpty();
    assertThat(member.get(NOVA + "/servers/" + s + "/os-interface").expect(200).get("interfaceAttachments")).isEmpty();
  }

  @Test
  void aFailedDriverAttachLeavesThePortFreeAndTheServerAsItWas() {
    String s = boot("ifc-fault");
    String p = userPort();
    admin.put(NOVA + "/os-kiln-faults/attach_interface", "{\"kiln_fault\": {\"fail_next\": 1}}").expect(200);
    assertThat(attachPort(s, p).expect(500).at("/computeFault/message").asText()).contains("Failed to attach");
    JsonNode free = port(p);
    assertThat(free.get("device_id").asText()).isEmpty();
    assertThat(free.get("binding:host_id").asText()).isEmpty();
    JsonNode server = member.get(NOVA + "/servers/" + s).expect(200).get("server");
    assertThat(server.get("status").asText()).isEqualTo("ACTIVE");
    assertThat(server.get("OS-EXT-STS:task_state").isNull()).isTrue();
    assertThat(member.get(NOVA + "/servers/" + s + "/os-interface").expect(200).get("interfaceAttachments")).isEmpty();
    attachPort(s, p).expect(200);
  }

  @Test
  void theClientsAddAndRemovePorts() {
    String s1 = boot("ifc-cli-1");
    String s2 = boot("ifc-cli-2");
    String p = userPort();
    String mac = port(p).get("mac_address").asText();
    OpenStackCli cli = OpenStackCli.as(kiln.authUrl(), "ifc-user", "pw", "ifc");
    cli.ok("server", "add", "port", s1, p);
    assertThat(port(p).get("device_id").asText()).isEqualTo(s1);
    cli.ok("server", "remove", "port", s1, p);
    assertThat(port(p).get("device_id").asText()).isEmpty();
    cli.novaOk("2.70", "interface-attach", "--port-id", p, s2);
    assertThat(cli.novaOk("2.70", "interface-list", s2)).contains(p).contains(mac);
    cli.novaOk("2.70", "interface-detach", s2, p);
    assertThat(port(p).get("device_id").asText()).isEmpty();
    assertThat(port(p).get("mac_address").asText()).isEqualTo(mac);
  }
}
