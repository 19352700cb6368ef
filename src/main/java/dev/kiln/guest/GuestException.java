package dev.kiln.guest;

/** Something an agent could not do this time (a collector, a signal); it logs it and tries again later. */
class GuestException extends Exception {
  GuestException(String message) {
    super(message);
  }
}
