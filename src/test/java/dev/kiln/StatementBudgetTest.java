package dev.kiln;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.testing.Api;
import dev.kiln.testing.Await;
import dev.kiln.testing.Cloud;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.Tenant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Holds the common calls to a budget of SQL statements per request, read from Kiln's own {@code
 * /metrics} ({@code kiln_http_server_statements}, counted on the thread that served the request).
 * A statement more per request is what makes a call slow long before a profile shows it: when a
 * change needs more, it should say why here, in the budget it raises.
 *
 * <p>Each call is made a few times first, untimed and uncounted, so that what happens once per
 * project or per process (a default security group, a quota row) is not in the count.
 */
class StatementBudgetTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();

  private static final Map<String, Double> measured = new LinkedHashMap<>();
  private static Tenant member;
  private static Api admin;
  private static String network;
  private static String image;

  @BeforeAll
  static void setUp() {
    admin = kiln.admin();
    member = Tenant.create(kiln, admin, "budget", "budget-user");
    network = Cloud.network(member.api(), "budget-net", "10.20.0.0/16");
    image = Cloud.cirros(member.api());
  }

  @Test
  void portCreateStaysWithinItsBudget() {
    String body = "{\"port\": {\"network_id\": \"" + network + "\"}}";
    double statements = perRequest("POST", "/networking/v2.0/ports", 201,
        () -> member.api().post(Cloud.NET + "/ports", body).expect(201));
    assertThat(statements).as("statements per port create").isLessThanOrEqualTo(Budget.PORT_CREATE);
  }

  @Test
  void gettingOnePortStaysWithinItsBudget() {
    String port = member.api().post(Cloud.NET + "/ports", "{\"port\": {\"network_id\": \"" + network + "\"}}")
        .expect(201).at("/port/id").asText();
    double statements = perRequest("GET", "/networking/v2.0/ports/{port_id}", 200,
        () -> member.api().get(Cloud.NET + "/ports/" + port).expect(200));
    assertThat(statements).as("statements per port GET").isLessThanOrEqualTo(Budget.GET_ONE);
  }

  @Test
  void volumeCreateStaysWithinItsBudget() {
    String path = "/volume/v3/" + member.projectId() + "/volumes";
    double statements = perRequest("POST", "/volume/v3/{project_id}/volumes", 202,
        () -> member.api().post(path, "{\"volume\": {\"size\": 1}}").expect(202));
    assertThat(statements).as("statements per volume create").isLessThanOrEqualTo(Budget.VOLUME_CREATE);
  }

  @Test
  void gettingOneVolumeStaysWithinItsBudget() {
    String v3 = "/volume/v3/" + member.projectId();
    String volume = member.api().post(v3 + "/volumes", "{\"volume\": {\"size\": 1}}").expect(202).at("/volume/id").asText();
    double statements = perRequest("GET", "/volume/v3/{project_id}/volumes/{volume_id}", 200,
        () -> member.api().get(v3 + "/volumes/" + volume).expect(200));
    assertThat(statements).as("statements per volume GET").isLessThanOrEqualTo(Budget.VOLUME_GET);
  }

  @Test
  void attachmentCallsStayWithinTheirBudgets() {
    String v3 = "/volume/v3/" + member.projectId();
    Api cinder = member.api().withHeader("OpenStack-API-Version", "volume 3.44");
    String volume = cinder.post(v3 + "/volumes", "{\"volume\": {\"size\": 1, \"multiattach\": true}}")
        .expect(202).at("/volume/id").asText();
    Await.until(() -> cinder.get(v3 + "/volumes/" + volume).json().at("/volume/status").asText().equals("available"),
        "volume " + volume + " available");
    String connector = "{\"attachment\": {\"connector\": {\"initiator\": \"iqn.1993-08.org.debian:01:budget\","
        + " \"host\": \"budget-host\"}}}";
    String[] ids = new String[1];
    java.util.concurrent.atomic.AtomicInteger servers = new java.util.concurrent.atomic.AtomicInteger();
    Runnable create = () -> ids[0] = cinder.post(v3 + "/attachments",
            "{\"attachment\": {\"volume_uuid\": \"" + volume + "\", \"instance_uuid\": \""
                + java.util.UUID.nameUUIDFromBytes(("budget-" + servers.incrementAndGet()).getBytes()) + "\"}}")
        .expect(200).at("/attachment/id").asText();
    Runnable update = () -> cinder.put(v3 + "/attachments/" + ids[0], connector).expect(200);
    Runnable complete = () -> cinder.post(v3 + "/attachments/" + ids[0] + "/action", "{\"os-complete\": null}").expect(204);
    Runnable delete = () -> cinder.delete(v3 + "/attachments/" + ids[0]).expect(200);
    String attachments = "/volume/v3/{project_id}/attachments";
    // Each call is counted on its own route while the whole cycle runs, 8 times over.
    double created = perRequest("POST", attachments, 200, () -> {
      create.run();
      update.run();
      complete.run();
      delete.run();
    });
    assertThat(created).as("statements per attachment create").isLessThanOrEqualTo(Budget.ATTACHMENT_CALL);
    for (String[] route : new String[][] {
        {"PUT", attachments + "/{attachment_id}", "200"},
        {"POST", attachments + "/{attachment_id}/action", "204"},
        {"DELETE", attachments + "/{attachment_id}", "200"}}) {
      double[] counted = summary(route[0], route[1], Integer.parseInt(route[2]));
      assertThat(counted[1]).as("requests counted for %s %s", route[0], route[1]).isEqualTo(8);
      assertThat(counted[0] / counted[1]).as("statements per %s %s", route[0], route[1])
          .isLessThanOrEqualTo(Budget.ATTACHMENT_CALL);
    }
  }

  @Test
  void serverCreateStaysWithinItsBudget() {
    Api nova = member.atNova("2.37");
    double statements = perRequest("POST", "/compute/v2.1/servers", 202,
        () -> Cloud.boot(nova, image, "\"none\"", "budget"));
    assertThat(statements).as("statements per server create").isLessThanOrEqualTo(Budget.SERVER_CREATE);
  }

  /**
   * The budgets: what each call runs today (December 2026), and what the statements are, so that
   * a change that adds one knows what it competes with. None reads the caller's token: on the
   * embedded file a validated token is answered from memory while no commit has touched the
   * token table or identity's revision (PostgreSQL, which other nodes write, reads its row).
   */
  private static final class Budget {
    /**
     * The network's lock; the quota lock with the port limit (one statement); the port count; the
     * subnet's lock, which reads its revision; the port's insert; its address's insert, which is
     * also the check that the address is free (the primary key refuses one in use); its group. The
     * answer is the port as stored, built without reading it back. (The drawn MAC address is not
     * looked up first: the network's unique constraint refuses a clash and the create draws again.
     * The network, its subnets with their pools and the project's default security group, read
     * before the transaction, come from memory while their tables are unchanged: {@code
     * CommittedCache}; the subnets' revisions under their locks tell whether they still hold.)
     */
    static final double PORT_CREATE = 7;
    /**
     * The port (its row, addresses, groups, bindings); its tags; whether it is a
     * trunk's parent (its {@code trunk_details}, the trunk-details extension). (Its addresses,
     * groups and binding read in one UNION ALL made a GET cost twice the CPU on H2: three stay.)
     */
    static final double GET_ONE = 6;
    /**
     * The quota usage lock, limits (per_volume_gigabytes checked with them) and update; the volume
     * (its metadata, when it has some, one insert a key); the task. The answer shows the type
     * already read. (The default type with its extra specs comes from memory while the type tables
     * are unchanged: {@code CommittedCache}.)
     */
    static final double VOLUME_CREATE = 5;
    /**
     * The volume; its metadata of three kinds (one UNION ALL, which the store
     * keeps prepared on H2); its attachments; its type's name.
     */
    static final double VOLUME_GET = 4;
    /**
     * Each of the attachments API's four calls: the attachment (to find its
     * volume: not for create); the volume's row locked ({@code FOR UPDATE}, kept prepared on H2),
     * its metadata (one UNION ALL) and its attachments; the attachment's insert, update or delete;
     * the volume's status derived from the attachments the lock read (not read again).
     */
    static final double ATTACHMENT_CALL = 6;
    /**
     * Flavor, image (three statements), quotas (the lock (its row, once it exists), limits,
     * usage; the metadata limit only when the server has metadata), the server, its owner's usage
     * row, its instance action and its task. The answer is the server as inserted, not read back.
     * (The usage row's update is the 14th: it replaced summing the project's servers at every
     * boot, a cost that grew with the project.)
     */
    static final double SERVER_CREATE = 14;
  }

  /**
   * Makes the call 3 times uncounted, then 5 times, and answers the statements each of the 5 ran
   * on average (they all run the same ones).
   */
  private static double perRequest(String method, String route, int status, Runnable call) {
    for (int i = 0; i < 3; i++) {
      call.run();
    }
    double[] before = summary(method, route, status);
    for (int i = 0; i < 5; i++) {
      call.run();
    }
    double[] after = summary(method, route, status);
    assertThat(after[1] - before[1])
        .as("requests counted for %s %s; the routes counted: %s", method, route, routes(kiln.api().get("/metrics").body()))
        .isEqualTo(5);
    double statements = (after[0] - before[0]) / (after[1] - before[1]);
    measured.put(method + " " + route, statements);
    System.out.println("statements per request: " + method + " " + route + " " + statements);
    return statements;
  }

  /** The statements summary's sum and count for one route. */
  private static double[] summary(String method, String route, int status) {
    String metrics = kiln.api().get("/metrics").body();
    return new double[] {value(metrics, "sum", method, route, status), value(metrics, "count", method, route, status)};
  }

  private static java.util.List<String> routes(String metrics) {
    return metrics.lines().filter(l -> l.startsWith("kiln_http_server_statements_count{")).toList();
  }

  private static double value(String metrics, String what, String method, String route, int status) {
    String prefix = "kiln_http_server_statements_" + what + "{";
    return metrics.lines()
        .filter(l -> l.startsWith(prefix))
        .filter(l -> {
          // Routes hold braces of their own ({port_id}): the labels end at the last one.
          String labels = l.substring(prefix.length(), l.lastIndexOf('}'));
          return labels.contains("method=\"" + method + "\"") && labels.contains("route=\"" + route + "\"")
              && labels.contains("status=\"" + status + "\"");
        })
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .findFirst()
        .orElse(0);
  }

}
