package dev.kiln.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.common.ServiceException;
import dev.kiln.network.SecurityGroupRule.Direction;
import dev.kiln.network.SecurityGroupRule.Ethertype;
import dev.kiln.store.Database;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The security group service on each database Kiln runs on (one subclass each): the races its
 * unique keys settle, and what the database does on delete.
 */
abstract class SecurityGroupsDatabaseTest {
  private static final int THREADS = 8;
  private static final Actor ALICE = new Actor("project-a", "alice", false);
  private static final Actor BOB = new Actor("project-b", "bob", false);
  private static final Actor ADMIN = new Actor("admin-project", "admin", true);

  private Database db;
  private final Set<String> portsUse = ConcurrentHashMap.newKeySet();
  private SecurityGroups groups;

  protected abstract Database openNewDatabase();

  @BeforeEach
  void setUp() {
    db = openNewDatabase();
    groups = new SecurityGroups(db, Clock.systemUTC(), IdGenerator.random(), portsUse::contains);
  }

  @AfterEach
  void tearDown() {
    db.close();
  }

  @Test
  void concurrentFirstUsesMakeOneDefaultGroup() throws Exception {
    List<String> ids = race(() -> groups.defaultGroupId("project-a"));

    assertThat(Set.copyOf(ids)).hasSize(1);
    List<SecurityGroup> visible = groups.list(ALICE, null);
    assertThat(visible).hasSize(1);
    SecurityGroup group = visible.getFirst();
    assertThat(group.id()).isEqualTo(ids.getFirst());
    assertThat(group.name()).isEqualTo("default");
    assertThat(group.rules()).hasSize(4);
    assertThat(group.rules())
        .filteredOn(r -> r.direction() == Direction.INGRESS)
        .extracting(SecurityGroupRule::remoteGroupId)
        .containsOnly(group.id());
    assertThat(group.rules()).allMatch(SecurityGroupRule::inDefaultGroup);
    assertThat(groups.defaultGroupId("project-a")).isEqualTo(group.id());
  }

  @Test
  void concurrentSameRuleLeavesOneRule() throws Exception {
    SecurityGroup web = groups.create(ALICE, new SecurityGroups.GroupSpec(null, "web", null, null));
    SecurityGroups.RuleSpec ssh =
        new SecurityGroups.RuleSpec(
            null, web.id(), "ingress", "IPv4", "tcp", 22, 22, "0.0.0.0/0", null, null, null);

    List<Object> outcomes =
        race(
            () -> {
              try {
                return groups.createRule(ALICE, ssh);
              } catch (ServiceException e) {
                return e;
              }
            });

    List<SecurityGroupRule> created =
        outcomes.stream().filter(SecurityGroupRule.class::isInstance).map(SecurityGroupRule.class::cast).toList();
    assertThat(created).hasSize(1);
    assertThat(outcomes)
        .filteredOn(ServiceException.class::isInstance)
        .hasSize(THREADS - 1)
        .allSatisfy(
            e -> {
              assertThat(((ServiceException) e).type()).isEqualTo("SecurityGroupRuleExists");
              assertThat(((ServiceException) e).getMessage()).contains(created.getFirst().id());
            });
    SecurityGroup after = groups.get(ALICE, web.id());
    assertThat(after.rules()).hasSize(3); // the two default egress rules and ssh
    assertThat(after.revision()).isEqualTo(2);
  }

  @Test
  void duplicatesAreFoundAcrossEquivalentSpellings() {
    SecurityGroup web = groups.create(ALICE, new SecurityGroups.GroupSpec(null, "web", null, null));
    groups.createRule(
        ALICE,
        new SecurityGroups.RuleSpec(null, web.id(), "ingress", null, "tcp", 80, 80, null, null, null, null));

    // Protocol 6 is tcp.
    assertThatThrownBy(
            () ->
                groups.createRule(
                    ALICE,
                    new SecurityGroups.RuleSpec(
                        null, web.id(), "ingress", "ipv4", "6", 80, 80, null, null, null, "again")))
        .hasFieldOrPropertyWithValue("type", "SecurityGroupRuleExists");
    // 0.0.0.0/0 is the same as no prefix: the default egress rule already allows it.
    assertThatThrownBy(
            () ->
                groups.createRule(
                    ALICE,
                    new SecurityGroups.RuleSpec(
                        null, web.id(), "egress", "IPv4", null, null, null, "0.0.0.0/0", null, null, null)))
        .hasFieldOrPropertyWithValue("type", "SecurityGroupRuleExists");
    // The whole port range is no port range.
    groups.createRule(
        ALICE,
        new SecurityGroups.RuleSpec(null, web.id(), "ingress", null, "udp", 1, 65535, null, null, null, null));
    assertThatThrownBy(
            () ->
                groups.createRule(
                    ALICE,
                    new SecurityGroups.RuleSpec(
                        null, web.id(), "ingress", null, "udp", null, null, null, null, null, null)))
        .hasFieldOrPropertyWithValue("type", "SecurityGroupRuleExists");
  }

  @Test
  void groupInUseIsNotDeletedAndDeletingARemoteGroupDeletesRulesNamingIt() {
    SecurityGroup web = groups.create(ALICE, new SecurityGroups.GroupSpec(null, "web", null, null));
    SecurityGroup db = groups.create(ALICE, new SecurityGroups.GroupSpec(null, "db", null, null));
    SecurityGroupRule fromWeb =
        groups.createRule(
            ALICE,
            new SecurityGroups.RuleSpec(null, db.id(), "ingress", null, "tcp", 5432, 5432, null, web.id(), null, null));
    assertThat(fromWeb.remoteGroupId()).isEqualTo(web.id());

    portsUse.add(web.id());
    assertThatThrownBy(() -> groups.delete(ALICE, web.id()))
        .hasFieldOrPropertyWithValue("type", "SecurityGroupInUse")
        .hasFieldOrPropertyWithValue("kind", ServiceException.Kind.CONFLICT);
    assertThatThrownBy(
            () -> groups.update(ALICE, web.id(), new SecurityGroups.GroupSpec(null, null, null, false)))
        .hasFieldOrPropertyWithValue("type", "SecurityGroupInUse");

    portsUse.clear();
    groups.delete(ALICE, web.id());
    assertThat(groups.get(ALICE, db.id()).rules())
        .extracting(SecurityGroupRule::id)
        .doesNotContain(fromWeb.id())
        .hasSize(2);
    assertThatThrownBy(() -> groups.rule(ALICE, fromWeb.id()))
        .hasFieldOrPropertyWithValue("type", "SecurityGroupRuleNotFound");
  }

  @Test
  void portsMayOnlyUseGroupsOfTheirProject() {
    String aliceDefault = groups.defaultGroupId("project-a");
    String bobDefault = groups.defaultGroupId("project-b");

    groups.checkUsable("project-a", false, List.of(aliceDefault));
    groups.checkUsable("project-a", true, List.of(aliceDefault, bobDefault));
    assertThatThrownBy(() -> groups.checkUsable("project-a", false, List.of(aliceDefault, bobDefault, "nope")))
        .hasFieldOrPropertyWithValue("type", "SecurityGroupNotFound")
        .hasFieldOrPropertyWithValue("kind", ServiceException.Kind.NOT_FOUND)
        .hasMessage("Security group " + bobDefault + ", nope does not exist");
    assertThat(groups.list(BOB, null)).extracting(SecurityGroup::id).containsExactly(bobDefault);
    assertThat(groups.list(ADMIN, null))
        .extracting(SecurityGroup::id)
        .contains(aliceDefault, bobDefault)
        .hasSize(3); // and the admin project's own, made by the admin's first list
  }

  @Test
  void adminDeletesADefaultGroupAndTheProjectGetsANewOneOnNextUse() {
    String first = groups.defaultGroupId("project-a");
    assertThatThrownBy(() -> groups.delete(ALICE, first))
        .hasFieldOrPropertyWithValue("type", "SecurityGroupCannotRemoveDefault");

    groups.delete(ADMIN, first);

    String second = groups.defaultGroupId("project-a");
    assertThat(second).isNotEqualTo(first);
    assertThat(groups.get(ALICE, second).rules()).hasSize(4);
  }

  @Test
  void ruleFieldsKeepNullsAndNormalizeThePrefix() {
    SecurityGroup web = groups.create(ALICE, new SecurityGroups.GroupSpec(null, "web", null, null));
    SecurityGroupRule rule =
        groups.createRule(
            ALICE,
            new SecurityGroups.RuleSpec(
                null, web.id(), "ingress", "IPv6", "icmp", 8, null, "2001:DB8:0:0::7/64", null, null, "ping"));

    SecurityGroupRule read = groups.rule(ALICE, rule.id());
    assertThat(read.ethertype()).isEqualTo(Ethertype.IPV6);
    assertThat(read.protocol()).isEqualTo("ipv6-icmp");
    assertThat(read.portRangeMin()).isEqualTo(8);
    assertThat(read.portRangeMax()).isNull();
    assertThat(read.remoteIpPrefix()).isEqualTo("2001:db8::7/64");
    assertThat(read.normalizedCidr()).isEqualTo("2001:db8::/64");
    assertThat(read.remoteGroupId()).isNull();
    assertThat(read.description()).isEqualTo("ping");
    assertThat(read.inDefaultGroup()).isFalse();
    assertThat(read.projectId()).isEqualTo("project-a");
  }

  /** Runs the same call from several threads at once and answers every result. */
  private static <T> List<T> race(Callable<T> call) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < THREADS; i++) {
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  return call.call();
                }));
      }
      start.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> f : futures) {
        results.add(f.get());
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}
