package dev.kiln.identity;

/** A new token: its secret value, handed to the client once, and what it stands for. */
public record IssuedToken(String value, TokenInfo info) {
  @Override
  public String toString() {
    return "IssuedToken[value=<hidden>, info=" + info + "]";
  }
}
