package io.glmvoicebatch.cli;

/** Process exit codes, documented in the README for cron and CI users. */
public enum ExitCode {
  /** Every item ended ok or was skipped on purpose. */
  ALL_DONE(0),
  /** The batch ran to its end but some items failed. */
  SOME_FAILED(1),
  /** Bad usage or configuration; nothing was sent. */
  USAGE(2),
  /** Sending stopped early: budget reached, authentication refused, no account balance, or no answer from the service. */
  STOPPED_EARLY(3),
  /**
   * A fatal error inside the program (out of memory, an unexpected exception in a stage, a dead client or
   * simulator thread): the process ended at once; the ledger is intact and the same command resumes.
   */
  INTERNAL_ERROR(4),
  /**
   * Disk full: the output folder has no room for the next reply's worst case (or a paid reply could not be
   * written and was held outside it). Items not sent are {@code skipped} with reason {@code disk_full}; with
   * space freed, the same command resumes without paying again.
   */
  DISK_FULL(5),
  /** Interrupted (Ctrl-C, SIGINT): what was in flight is printed; the same command resumes. 128 + 2. */
  INTERRUPTED(130);

  private final int code;

  ExitCode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /**
   * The code of a batch that ran to its end or stopped sending early.
   *
   * @param stopped sending stopped early (the service refused, the budget or the disk ran out)
   * @param diskFullOnly it stopped because the disk was full, and the service did not stop it
   * @param someFailed items failed or are uncertain
   */
  static ExitCode ofBatch(boolean stopped, boolean diskFullOnly, boolean someFailed) {
    if (stopped) {
      return diskFullOnly ? DISK_FULL : STOPPED_EARLY;
    }
    return someFailed ? SOME_FAILED : ALL_DONE;
  }
}
