package dev.kiln.guest;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;

/** The hooks an agent can run, by group: those {@link ServiceLoader} finds, and any added. */
public final class ConfigHooks {
  private final Map<String, ConfigHook> byGroup;

  private ConfigHooks(Map<String, ConfigHook> byGroup) {
    this.byGroup = Map.copyOf(byGroup);
  }

  /** Every {@link ConfigHook} on the class path (Kiln's own {@code script} hook among them). */
  public static ConfigHooks loaded() {
    Map<String, ConfigHook> hooks = new LinkedHashMap<>();
    for (ConfigHook hook : ServiceLoader.load(ConfigHook.class, ConfigHooks.class.getClassLoader())) {
      hooks.putIfAbsent(sanitised(hook.group()), hook);
    }
    return new ConfigHooks(hooks);
  }

  /** These hooks and {@code hook}, which replaces one of the same group. */
  public ConfigHooks with(ConfigHook hook) {
    Map<String, ConfigHook> hooks = new LinkedHashMap<>(byGroup);
    hooks.put(sanitised(hook.group()), hook);
    return new ConfigHooks(hooks);
  }

  /** The hook for a deployment's group; heat-config keeps only letters, digits, '-' and '_' of it. */
  public Optional<ConfigHook> find(String group) {
    return Optional.ofNullable(byGroup.get(sanitised(group)));
  }

  public Set<String> groups() {
    return new java.util.TreeSet<>(byGroup.keySet());
  }

  static String sanitised(String group) {
    StringBuilder out = new StringBuilder();
    group.codePoints()
        .filter(c -> c == '-' || c == '_' || Character.isLetterOrDigit(c))
        .forEach(out::appendCodePoint);
    return out.toString();
  }
}
