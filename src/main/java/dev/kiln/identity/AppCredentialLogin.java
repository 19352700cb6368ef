package dev.kiln.identity;

/**
 * How a program names an application credential with the {@code application_credential} auth
 * method: by id, or by name together with its user (by id, or by name within a domain given by id
 * or name), and the secret.
 */
public record AppCredentialLogin(String id, String name, Credentials user, String secret) {
  @Override
  public String toString() {
    return "AppCredentialLogin[id=" + id + ", name=" + name + ", secret=<hidden>]";
  }
}
