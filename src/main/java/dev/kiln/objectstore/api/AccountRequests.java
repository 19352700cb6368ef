package dev.kiln.objectstore.api;

import static java.util.Objects.requireNonNull;

import dev.kiln.objectstore.Account;
import dev.kiln.objectstore.Accounts;
import dev.kiln.objectstore.Container;
import dev.kiln.objectstore.ListingEntry;
import dev.kiln.objectstore.AccountQuota;
import dev.kiln.objectstore.Metadata;
import dev.kiln.objectstore.Refusal;
import java.util.List;

/** {@code /v1/<account>}: HEAD and GET (the container listing) show it, POST sets its metadata. */
final class AccountRequests {
  private final Accounts accounts;

  AccountRequests(Accounts accounts) {
    this.accounts = requireNonNull(accounts, "accounts is null");
  }

  Answer handle(SwiftRequest r) {
    String account = r.path().account();
    return switch (r.method()) {
      case "HEAD" -> Answer.of(204).headers(SwiftHeaders.account(accounts.show(account)))
          .header("Content-Type", "text/plain; charset=utf-8");
      case "GET" -> list(r, account);
      case "POST" -> {
        Metadata.Update update = SwiftHeaders.metadataUpdate(r.raw(), "account");
        if (AccountQuota.touches(update)) {
          if (!r.reseller()) {
            throw new Refusal(Refusal.Kind.FORBIDDEN,
                "Only a reseller admin (the ResellerAdmin role) sets or removes an account's quota.");
          }
          AccountQuota.checkValue(update);
        }
        accounts.updateMetadata(account, update);
        yield Answer.of(204);
      }
      default -> throw new Refusal(
          Refusal.Kind.METHOD_NOT_ALLOWED, "An account takes HEAD, GET and POST; accounts are not created or deleted.");
    };
  }

  private Answer list(SwiftRequest r, String account) {
    ListingBodies.Format format = ListingBodies.format(r.query("format"), r.header("Accept"));
    List<ListingEntry<Container>> entries = accounts.listContainers(account, r.listing());
    Account shown = accounts.show(account);
    byte[] body = ListingBodies.containers(format, account, entries);
    int status = body.length == 0 ? 204 : 200;
    return new Answer(status, new java.util.LinkedHashMap<>(), status == 204 ? null : body, null, -1)
        .headers(SwiftHeaders.account(shown))
        .header("Content-Type", format.contentType);
  }
}
