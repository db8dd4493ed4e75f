package io.glmvoicebatch.cli;

/** Bad command line or configuration: the message names the option and what it accepts. Exit code 2. */
public final class UsageException extends Exception {
  public UsageException(String message) {
    super(message);
  }
}
