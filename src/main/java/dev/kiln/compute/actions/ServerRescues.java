package dev.kiln.compute.actions;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;
import dev.kiln.compute.actions.ServerActions.Action;
import dev.kiln.compute.servers.Server;
import dev.kiln.compute.servers.Servers;
import dev.kiln.image.ImageService;

/**
 * Nova's rescue and unrescue. A rescue boots the server from a rescue image (the one asked for,
 * else its own) with its disk attached, status RESCUE (vm state {@code rescued}); unrescue boots it
 * from its own disk again, ACTIVE. Allowed, as in Nova's {@code nova/compute/api.py}: rescue from
 * active, stopped or error, unrescue from rescued; a locked server refuses non-admins. Refused
 * with 400: a volume-backed server (rescuing one needs 2.87, above Kiln's microversions) and a
 * rescue image that cannot be found. While rescued, every action whose allowed vm states do not
 * include {@code rescued} (reboot, rebuild, resize, volume and interface attach and detach) is a
 * 409, as in Nova.
 *
 * <p>Both run as {@link ServerActions} power actions: the state check ends in one conditional
 * update that sets the task state ({@code rescuing}, {@code unrescuing}) with a durable task in the
 * same transaction, so racing requests have one winner and a node killed mid-rescue finishes it
 * when the task is taken over.
 */
public final class ServerRescues {
  private final ServerActions actions;
  private final Servers servers;
  private final ImageService images;

  public ServerRescues(ServerActions actions, Servers servers, ImageService images) {
    this.actions = requireNonNull(actions, "actions is null");
    this.servers = requireNonNull(servers, "servers is null");
    this.images = requireNonNull(images, "images is null");
  }

  /** Starts a rescue from {@code rescueImageRef}, or from the server's own image when null. */
  public void rescue(Actor actor, String id, String rescueImageRef) {
    Server server = servers.visible(actor, id);
    if (server.imageId() == null || server.imageId().isEmpty()) {
      // Nova checks the state first; a volume-backed server in a state that allows a rescue is 400.
      actions.checkable(actor, server, Action.RESCUE);
      throw ServiceException.invalid(
          "InstanceNotRescuable", "Instance " + id + " cannot be rescued: Cannot rescue a volume-backed instance");
    }
    if (rescueImageRef != null) {
      try {
        images.images().visible(actor, rescueImageRef);
      } catch (ServiceException e) {
        if (e.kind() != ServiceException.Kind.NOT_FOUND) {
          throw e;
        }
        throw ServiceException.invalid(
            "UnsupportedRescueImage", "Requested rescue image '" + rescueImageRef + "' is not supported");
      }
    }
    actions.start(actor, id, Action.RESCUE, rescueImageRef);
  }

  public void unrescue(Actor actor, String id) {
    actions.start(actor, id, Action.UNRESCUE);
  }
}
