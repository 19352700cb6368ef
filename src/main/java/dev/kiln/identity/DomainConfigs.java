package dev.kiln.identity;

import static dev.kiln.common.ServiceException.forbidden;
import static dev.kiln.common.ServiceException.invalid;
import static dev.kiln.common.ServiceException.notFound;
import static java.util.Objects.requireNonNull;

import dev.kiln.identity.store.DomainConfigStore;
import dev.kiln.identity.store.DomainConfigStore.Option;
import dev.kiln.store.Database;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Keystone's domain-specific configuration ({@code /v3/domains/{id}/config}): options of the
 * {@code identity} and {@code ldap} groups only, as Keystone's whitelist has them; the LDAP
 * password is kept but never shown. A configuration is a map of group to option to value, each value
 * the JSON text the API layer gave (this layer does not read JSON). Kiln keeps and serves it; its
 * identity backend stays its own database.
 */
public final class DomainConfigs {
  /** Group to option to default value (JSON text), as Keystone's configuration defaults them. */
  static final Map<String, Map<String, String>> DEFAULTS = defaults();

  private static final Map<String, Set<String>> SENSITIVE = Map.of("identity", Set.of(), "ldap", Set.of("password"));

  private final Database db;
  private final Directory directory;

  public DomainConfigs(Database db, Directory directory) {
    this.db = requireNonNull(db, "db is null");
    this.directory = requireNonNull(directory, "directory is null");
  }

  private static Map<String, Map<String, String>> defaults() {
    Map<String, String> identity = new LinkedHashMap<>();
    identity.put("driver", "\"sql\"");
    identity.put("list_limit", "null");
    Map<String, String> ldap = new LinkedHashMap<>();
    String[][] options = {
      {"url", "\"ldap://localhost\""}, {"user", "null"}, {"suffix", "\"cn=example,cn=com\""},
      {"query_scope", "\"one\""}, {"page_size", "0"}, {"alias_dereferencing", "\"default\""},
      {"debug_level", "null"}, {"chase_referrals", "null"}, {"user_tree_dn", "null"}, {"user_filter", "null"},
      {"user_objectclass", "\"inetOrgPerson\""}, {"user_id_attribute", "\"cn\""}, {"user_name_attribute", "\"sn\""},
      {"user_description_attribute", "\"description\""}, {"user_mail_attribute", "\"mail\""},
      {"user_pass_attribute", "\"userPassword\""}, {"user_enabled_attribute", "\"enabled\""},
      {"user_enabled_invert", "false"}, {"user_enabled_mask", "0"}, {"user_enabled_default", "\"True\""},
      {"group_tree_dn", "null"}, {"group_filter", "null"}, {"group_objectclass", "\"groupOfNames\""},
      {"group_id_attribute", "\"cn\""}, {"group_name_attribute", "\"ou\""}, {"group_member_attribute", "\"member\""},
      {"group_desc_attribute", "\"description\""}, {"use_tls", "false"}, {"tls_cacertfile", "null"},
      {"tls_cacertdir", "null"}, {"tls_req_cert", "\"demand\""}, {"use_pool", "true"}, {"pool_size", "10"},
      {"pool_retry_max", "3"}, {"pool_retry_delay", "0.1"}, {"pool_connection_timeout", "-1"},
      {"pool_connection_lifetime", "600"}, {"use_auth_pool", "true"}, {"auth_pool_size", "100"},
      {"auth_pool_connection_lifetime", "60"}
    };
    for (String[] o : options) {
      ldap.put(o[0], o[1]);
    }
    Map<String, Map<String, String>> all = new LinkedHashMap<>();
    all.put("identity", Map.copyOf(identity));
    all.put("ldap", ldap);
    return all;
  }

  // Defaults

  public Map<String, Map<String, String>> defaultConfig() {
    return DEFAULTS;
  }

  public Map<String, String> defaultGroup(String group) {
    checkGroup(group);
    return DEFAULTS.get(group);
  }

  public String defaultOption(String group, String option) {
    checkOption(group, option);
    if (SENSITIVE.get(group).contains(option)) {
      throw forbidden("InvalidDomainConfig", "Option " + group + "." + option + " is sensitive: it is never shown.");
    }
    return DEFAULTS.get(group).get(option);
  }

  // A domain's configuration

  /** Replaces a domain's whole configuration; answers whether there was none before. */
  public boolean replace(String domainId, Map<String, Map<String, String>> config) {
    check(config);
    return db.inTransaction(
        sql -> {
          DomainConfigStore store = new DomainConfigStore(sql);
          lock(store, domainId);
          boolean created = store.options(domainId).isEmpty();
          store.removeAll(domainId);
          put(store, domainId, config);
          return created;
        });
  }

  /** The shown options; 404 when the domain has no configuration. */
  public Map<String, Map<String, String>> config(String domainId) {
    directory.domain(domainId);
    Map<String, Map<String, String>> shown = shown(new DomainConfigStore(db.sql()).options(domainId));
    if (shown.isEmpty()) {
      throw notFound("DomainConfigNotFound", "Could not find domain config for domain " + domainId + ".");
    }
    return shown;
  }

  public Map<String, String> group(String domainId, String group) {
    checkGroup(group);
    Map<String, String> options = config(domainId).get(group);
    if (options == null) {
      throw notFound(
          "DomainConfigNotFound", "Could not find domain config group " + group + " for domain " + domainId + ".");
    }
    return options;
  }

  public String option(String domainId, String group, String option) {
    checkOption(group, option);
    String value = group(domainId, group).get(option);
    if (value == null) {
      throw notFound(
          "DomainConfigNotFound",
          "Could not find domain config option " + group + "." + option + " for domain " + domainId + ".");
    }
    return value;
  }

  /**
   * Sets the options given, keeping the others; {@code onlyGroup} (and {@code onlyOption}), when
   * not null, are what the URL named, and the body may change nothing else. The domain must have a
   * configuration already (404). Answers the configuration after the change.
   */
  public Map<String, Map<String, String>> update(
      String domainId, String onlyGroup, String onlyOption, Map<String, Map<String, String>> changes) {
    check(changes);
    for (Map.Entry<String, Map<String, String>> g : changes.entrySet()) {
      if (onlyGroup != null && !onlyGroup.equals(g.getKey())) {
        throw invalid(
            "InvalidDomainConfig", "The request changes group " + g.getKey() + " but its URL names group " + onlyGroup + ".");
      }
      for (String option : g.getValue().keySet()) {
        if (onlyOption != null && !onlyOption.equals(option)) {
          throw invalid(
              "InvalidDomainConfig", "The request changes option " + option + " but its URL names option " + onlyOption + ".");
        }
      }
    }
    return db.inTransaction(
        sql -> {
          DomainConfigStore store = new DomainConfigStore(sql);
          lock(store, domainId);
          if (store.options(domainId).isEmpty()) {
            throw notFound("DomainConfigNotFound", "Could not find domain config for domain " + domainId + ".");
          }
          put(store, domainId, changes);
          return shown(store.options(domainId));
        });
  }

  /** Deletes the whole configuration, one group of it or one option. */
  public void delete(String domainId, String group, String option) {
    if (option != null) {
      checkOption(group, option);
    } else if (group != null) {
      checkGroup(group);
    }
    int removed =
        db.inTransaction(
            sql -> {
              DomainConfigStore store = new DomainConfigStore(sql);
              lock(store, domainId);
              if (option != null) {
                return store.remove(domainId, group, option);
              }
              return group != null ? store.removeGroup(domainId, group) : store.removeAll(domainId);
            });
    if (removed == 0) {
      throw notFound(
          "DomainConfigNotFound",
          "Could not find domain config " + (group == null ? "" : group + (option == null ? " " : "." + option + " "))
              + "for domain " + domainId + ".");
    }
  }

  private static void lock(DomainConfigStore store, String domainId) {
    if (!store.lockDomain(domainId)) {
      throw notFound("DomainNotFound", "Could not find domain: " + domainId + ".");
    }
  }

  private static void put(DomainConfigStore store, String domainId, Map<String, Map<String, String>> config) {
    config.forEach(
        (group, options) ->
            options.forEach(
                (name, value) -> store.put(domainId, new Option(group, name, value, SENSITIVE.get(group).contains(name)))));
  }

  private static Map<String, Map<String, String>> shown(List<Option> options) {
    Map<String, Map<String, String>> out = new TreeMap<>();
    for (Option o : options) {
      if (!o.sensitive()) {
        out.computeIfAbsent(o.group(), g -> new TreeMap<>()).put(o.name(), o.valueJson());
      }
    }
    return out;
  }

  private static void check(Map<String, Map<String, String>> config) {
    if (config.isEmpty()) {
      throw invalid("InvalidDomainConfig", "A domain configuration needs at least one group of options.");
    }
    config.forEach(
        (group, options) -> {
          checkGroup(group);
          if (options.isEmpty()) {
            throw invalid("InvalidDomainConfig", "Group " + group + " of a domain configuration needs at least one option.");
          }
          options.keySet().forEach(option -> checkOption(group, option));
        });
  }

  private static void checkGroup(String group) {
    if (!DEFAULTS.containsKey(group)) {
      throw forbidden(
          "InvalidDomainConfig", "Group " + group + " is not supported in a domain configuration: only identity and ldap are.");
    }
  }

  private static void checkOption(String group, String option) {
    checkGroup(group);
    if (!DEFAULTS.get(group).containsKey(option) && !SENSITIVE.get(group).contains(option)) {
      throw forbidden(
          "InvalidDomainConfig", "Option " + option + " of group " + group + " is not supported in a domain configuration.");
    }
  }
}
