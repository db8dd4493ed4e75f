package io.glmvoicebatch.simulator;

/**
 * Thrown out of an HTTP handler after part of a body was written: the JDK server then closes the
 * connection, which is the only way its API offers to cut a response short.
 */
final class DeliberateConnectionDrop extends RuntimeException {
  private static final long serialVersionUID = 1L;

  DeliberateConnectionDrop(long sent, long total) {
    super("dropped connection after " + sent + " of " + total + " bytes", null, false, false);
  }
}
