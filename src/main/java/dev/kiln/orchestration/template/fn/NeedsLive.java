package dev.kiln.orchestration.template.fn;

/**
 * Thrown by a function that needs live resources while the template is only being bound; the
 * binder then keeps the call for the engine to resolve later. Carries no stack trace: it is
 * control flow, thrown often.
 */
public final class NeedsLive extends RuntimeException {
  static final NeedsLive INSTANCE = new NeedsLive();

  private NeedsLive() {
    super("needs live resources", null, false, false);
  }
}
