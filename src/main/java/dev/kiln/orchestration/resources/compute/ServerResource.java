package dev.kiln.orchestration.resources.compute;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;
import dev.kiln.compute.actions.ServerActions;
import dev.kiln.compute.servers.Server;
import dev.kiln.compute.servers.ServerTags;
import dev.kiln.compute.servers.Servers;
import dev.kiln.network.Port;
import dev.kiln.orchestration.resources.Cloud;
import dev.kiln.orchestration.resources.NestedStacks;
import dev.kiln.orchestration.resources.ResourceContext;
import dev.kiln.orchestration.resources.ResourceError;
import dev.kiln.orchestration.resources.ResourceState;
import dev.kiln.orchestration.resources.ResourceType;
import dev.kiln.orchestration.resources.compute.ServerProps.NetworkEntry;
import dev.kiln.orchestration.template.schema.ResourceSchema;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code OS::Nova::Server}. Create boots the server (its description carries the resource's
 * {@link HeatMark}, so a create repeated after a crash adopts the server an earlier attempt asked
 * for) and waits until it is ACTIVE; delete waits until it is gone, then releases the ports the
 * resource made. Updates in place are {@link ServerUpdates}; attributes {@link ServerAttributes}.
 */
final class ServerResource implements ResourceType {
  private final Cloud cloud;
  private final Lookups lookups;
  private final ServerPorts ports;
  private final ServerStates states;
  private final ServerUpdates updates;
  private final ServerAttributes attributes;
  private final SoftwareTransport software;

  ServerResource(Cloud cloud) {
    this(cloud, null);
  }

  /** @param metadataObjects where POLL_TEMP_URL servers' metadata objects are recorded, or null for none */
  ServerResource(Cloud cloud, dev.kiln.orchestration.software.MetadataObjects metadataObjects) {
    this.cloud = requireNonNull(cloud, "cloud is null");
    this.lookups = new Lookups(cloud);
    this.ports = new ServerPorts(cloud, lookups);
    this.states = new ServerStates(cloud);
    this.updates = new ServerUpdates(cloud, lookups, ports, states);
    this.attributes = new ServerAttributes(cloud);
    this.software = new SoftwareTransport(
        new dev.kiln.orchestration.software.StackUsers(cloud.identity()), cloud.objectStore(), metadataObjects, cloud.credentials());
  }

  @Override
  public ResourceSchema schema() {
    return ServerSchema.SCHEMA;
  }

  /** Heat's implicit dependencies of this type: see {@link dev.kiln.orchestration.resources.network.NeutronDependencies}. */
  @Override
  public java.util.Set<String> implicitDependencies(
      dev.kiln.orchestration.template.TemplateResource resource,
      java.util.List<dev.kiln.orchestration.template.TemplateResource> all) {
    return dev.kiln.orchestration.resources.network.NeutronDependencies.ofServer(resource, all);
  }

  @Override
  public void create(ResourceContext context) throws Exception {
    ServerProps props = ServerProps.of(context.properties());
    validate(props);
    String name = serverName(context, props);
    JsonNode bootMetadata = software.prepare(context, context.properties());
    Server server = findMine(context, name).orElse(null);
    if (server == null) {
      server = boot(context, props, name, bootMetadata);
    }
    context.physicalId(server.id());
    software.booted(context, server.id());
    states.await(context, server.id(), Server.ACTIVE, Set.of(Server.BUILD));
    updates.associateFloatingIps(context, props, server.id());
  }

  /** Heat's checks of a server's properties that the schema cannot express. */
  static void validate(ServerProps props) throws ResourceError {
    boolean hasPort = false;
    for (NetworkEntry n : props.networks()) {
      if (n.network() == null && n.port() == null && n.subnet() == null && n.allocate() == null) {
        throw new ResourceError(
            "StackValidationFailed",
            "One of the properties \"network\", \"port\", \"allocate_network\" or \"subnet\" should be set for the"
                + " specified network of server.");
      }
      if (n.allocate() != null && (n.network() != null || n.port() != null || n.subnet() != null || n.fixedIp() != null
          || n.floatingIp() != null || n.tag() != null)) {
        throw new ResourceError(
            "StackValidationFailed", "Can not specify \"allocate_network\" with other keys of networks at the same time.");
      }
      if (n.allocate() != null && props.networks().size() != 1) {
        throw new ResourceError(
            "StackValidationFailed",
            "Property \"allocate_network\" can not be specified if multiple network interfaces set for server.");
      }
      if (n.fixedIp() != null && n.port() != null) {
        throw new ResourceError(
            "ResourcePropertyConflict",
            "Cannot define the following properties at the same time: networks/fixed_ip, networks/port.");
      }
      hasPort |= n.port() != null;
    }
    if (hasPort && !props.securityGroups().isEmpty()) {
      throw new ResourceError(
          "ResourcePropertyConflict",
          "Cannot define the following properties at the same time: security_groups, networks/port.");
    }
    validateTags(props.tags());
    if (props.image() == null && props.volumes().stream().noneMatch(v -> Objects.equals(v.mapping().bootIndex(), 0))) {
      throw new ResourceError("StackValidationFailed", "Neither image nor bootable volume is specified for instance.");
    }
  }

  /** Asks Compute for the server: its ports first (made, taken over or the user's), then the boot. */
  private Server boot(ResourceContext context, ServerProps props, String name, JsonNode bootMetadata) throws Exception {
    Actor owner = context.owner();
    List<String> groupIds = lookups.securityGroupIds(owner, props.securityGroups());
    List<Servers.NetworkRequest> requests = new ArrayList<>();
    boolean auto = false;
    // Only a server with ports to make looks for ports an earlier attempt or row made.
    List<ServerPorts.Marked> candidates =
        props.networks().stream().anyMatch(NetworkEntry::madeByHeat) ? ports.marked(context) : List.of();
    Set<String> taken = ServerPorts.newTaken();
    for (int i = 0; i < props.networks().size(); i++) {
      NetworkEntry entry = props.networks().get(i);
      if (entry.allocate() != null) {
        auto = entry.allocate().equals("auto");
      } else if (entry.port() != null) {
        requests.add(new Servers.NetworkRequest(null, ports.userPort(context, entry.port(), null).id(), null, entry.tag()));
      } else {
        Port port = ports.portFor(context, entry, i, groupIds, candidates, taken, null);
        requests.add(new Servers.NetworkRequest(null, port.id(), null, entry.tag()));
      }
    }
    String flavorId = lookups.flavor(owner, props.flavor()).id();
    String imageId = props.image() == null ? null : lookups.image(owner, props.image()).id();
    Servers.Spec spec =
        new Servers.Spec(
            name, mark(context), flavorId, imageId, requests, auto, props.keyName(), props.metadata(),
            props.availabilityZone(), UserData.encode(props.userDataFormat(), props.userData(), bootMetadata), props.securityGroups(),
            props.groupHint(), 1, 1, props.volumes().stream().map(ServerProps.VolumeMapping::mapping).toList(),
            null, null, props.tags());
    return cloud.servers().servers().create(owner, spec);
  }

  /** Nova's rules for server tags (2.26): at most 50, each 1 to 60 characters without '/' or ','. */
  static void validateTags(List<String> tags) throws ResourceError {
    if (tags.size() > ServerTags.MAX_TAGS) {
      throw new ResourceError(
          "StackValidationFailed", "A server has at most " + ServerTags.MAX_TAGS + " tags; \"tags\" has " + tags.size() + ".");
    }
    for (String tag : tags) {
      if (tag.isEmpty() || tag.length() > 60 || tag.contains("/") || tag.contains(",")) {
        throw new ResourceError(
            "StackValidationFailed", "Invalid server tag '" + tag + "': 1 to 60 characters, without '/' or ','.");
      }
    }
  }

  static String serverName(ResourceContext context, ServerProps props) {
    return props.name() != null ? props.name() : context.physicalName();
  }

  static String mark(ResourceContext context) {
    return HeatMark.of(context.stackId(), context.name(), context.id()).render();
  }

  /**
   * The server an earlier attempt of this resource row asked for, found by its name (null: any
   * name) and mark.
   */
  Optional<Server> findMine(ResourceContext context, String name) {
    String mark = mark(context);
    Servers.Query query =
        new Servers.Query(false, name == null ? null : "^" + Pattern.quote(name) + "$", null, null, null);
    return cloud.servers().servers().list(context.owner(), query, null, null).servers().stream()
        .filter(s -> mark.equals(s.description()))
        .findFirst();
  }

  @Override
  public void delete(ResourceContext context) throws Exception {
    String id = context.physicalId();
    if (id == null) {
      // A create cut short before its outcome was stored: the mark finds what it made. Without
      // properties (a row from before they were stored at the start) the name is not known.
      String name = context.properties() != null ? serverName(context, ServerProps.of(context.properties())) : null;
      id = findMine(context, name).map(Server::id).orElse(null);
    }
    if (id != null) {
      try {
        cloud.servers().servers().delete(context.owner(), id);
      } catch (ServiceException e) {
        if (e.kind() != ServiceException.Kind.NOT_FOUND) {
          throw e;
        }
      }
      states.awaitGone(context, id);
    }
    ports.release(context);
    software.release(context);
  }

  @Override
  public void update(ResourceContext context, JsonNode previous) throws Exception {
    updates.update(context, ServerProps.of(previous), ServerProps.of(context.properties()));
  }

  @Override
  public boolean needsReplacement(JsonNode previous, JsonNode next) {
    ServerProps before = ServerProps.of(previous);
    ServerProps after = ServerProps.of(next);
    if (!Objects.equals(before.flavor(), after.flavor()) && after.flavorUpdatePolicy().equals("REPLACE")) {
      return true;
    }
    if (!Objects.equals(before.image(), after.image()) && after.imageUpdatePolicy().equals("REPLACE")) {
      return true;
    }
    return !Objects.equals(before.userData(), after.userData()) && after.userDataUpdatePolicy().equals("REPLACE");
  }

  @Override
  public Set<String> claims(JsonNode properties) {
    ServerProps props = ServerProps.of(properties);
    Set<String> keys = new LinkedHashSet<>();
    props.userPorts().forEach(p -> keys.add("port:" + p));
    props.volumeIds().forEach(v -> keys.add("volume:" + v));
    return keys;
  }

  @Override
  public void check(ResourceContext context) throws Exception {
    Server server = existing(context);
    if (!server.status().equals(Server.ACTIVE)) {
      throw new ResourceError("Error", "'status': expected '['ACTIVE']', got '" + server.status() + "'");
    }
  }

  @Override
  public void suspend(ResourceContext context) throws Exception {
    Server server = existing(context);
    if (!server.status().equals(Server.SUSPENDED)) {
      cloud.servers().actions().start(context.owner(), server.id(), ServerActions.Action.SUSPEND);
    }
    states.await(context, server.id(), Server.SUSPENDED, Set.of(Server.ACTIVE));
  }

  @Override
  public void resume(ResourceContext context) throws Exception {
    Server server = existing(context);
    if (!server.status().equals(Server.ACTIVE)) {
      cloud.servers().actions().start(context.owner(), server.id(), ServerActions.Action.RESUME);
    }
    states.await(context, server.id(), Server.ACTIVE, Set.of(Server.SUSPENDED));
  }

  private Server existing(ResourceContext context) throws ResourceError {
    if (context.physicalId() == null) {
      throw new ResourceError("Error", "Cannot act on " + context.name() + ", resource_id not set");
    }
    return cloud.servers().servers().find(context.physicalId())
        .orElseThrow(() -> new ResourceError("NotFound", "Failed to find server " + context.physicalId()));
  }

  @Override
  public JsonNode attribute(ResourceState resource, String name, NestedStacks nested) {
    return attributes.resolve(resource, name);
  }
}
