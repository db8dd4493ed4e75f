package io.glmvoicebatch.cli;

import io.glmvoicebatch.ledger.FolderLock;
import io.glmvoicebatch.ledger.OutputFolder;
import java.io.IOException;
import java.io.PrintStream;
import java.util.SortedSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a run checks of its output folder before anything is read or sent: it can be written to, no other
 * run is writing to it (held until the run ends), and it does not hold paid replies that no ledger
 * remembers (the ledger is what keeps them from being sent and paid again).
 */
final class FolderClaim implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FolderClaim.class);

  private final FolderLock lock;

  private FolderClaim(FolderLock lock) {
    this.lock = lock;
  }

  /**
   * Claims {@code folder} for this run, or refuses with a one-line reason (exit 2).
   *
   * @param ledgerRebuild writes the ledger from the reply files, for {@code --rebuildLedger}
   */
  static FolderClaim claim(OutputFolder folder, boolean dryRun, boolean rebuildLedger, boolean force,
      Rebuild ledgerRebuild, PrintStream err) throws UsageException {
    String where = "--outputDir=" + folder.location();
    try {
      folder.checkWritable();
    } catch (IOException e) {
      throw new UsageException(where + " " + e.getMessage());
    }
    FolderLock lock = null;
    if (folder.isLocal()) {
      try {
        lock = FolderLock.acquire(folder.root());
      } catch (FolderLock.HeldException e) {
        throw new UsageException(where + ": " + e.getMessage());
      } catch (IOException e) {
        throw new UsageException(where + ": cannot lock the folder: " + e.getMessage());
      }
    } else {
      LOG.info("{} is an object store: no lock keeps a second run out of it (docs/output-folder.md)", folder.location());
    }
    FolderClaim claim = new FolderClaim(lock);
    try {
      if (!dryRun) {
        claim.checkLedgerRemembersOutputs(folder, rebuildLedger, force, ledgerRebuild, err);
        tidy(folder, err);
      }
    } catch (UsageException | RuntimeException e) {
      claim.close();
      throw e;
    }
    return claim;
  }

  private void checkLedgerRemembersOutputs(OutputFolder folder, boolean rebuildLedger, boolean force,
      Rebuild ledgerRebuild, PrintStream err) throws UsageException {
    SortedSet<String> someReply;
    try {
      someReply = folder.replyIds(true);
      // Reading the ledger only when there are replies keeps the usual start (a ledger, or an empty folder) cheap.
      if (someReply.isEmpty() || !folder.ledgerLocation().read().lines().isEmpty()) {
        return;
      }
    } catch (IOException e) {
      throw new UsageException("--outputDir=" + folder.location() + ": cannot read it: " + e.getMessage());
    }
    if (rebuildLedger) {
      try {
        int lines = ledgerRebuild.write();
        err.println("warning: --rebuildLedger wrote " + lines + " ledger line(s) from the reply files in "
            + folder.location() + "; their tokens and cost are unknown (not counted in the money totals)");
      } catch (IOException | RuntimeException e) {
        throw new UsageException("--rebuildLedger: " + e.getMessage());
      }
      return;
    }
    if (force) {
      err.println("warning: --force: " + folder.location() + " holds reply files but no ledger; every item is "
          + "sent (and paid) again and those files are overwritten");
      return;
    }
    throw new UsageException("--outputDir=" + folder.location() + " holds reply files (e.g. " + someReply.first()
        + ") but no ledger: sending would pay for them again. Use --rebuildLedger to rebuild the ledger from "
        + "those files (tokens and cost are lost), or --force to send everything again");
  }

  /**
   * With the folder ours: removes the temporary files a killed run left, and moves in the paid replies an
   * earlier run held outside the folder when its disk was full.
   */
  private static void tidy(OutputFolder folder, PrintStream err) throws UsageException {
    try {
      int stale = folder.removeStaleTemporaries();
      if (stale > 0) {
        LOG.info("removed {} temporary file(s) an earlier run left in {}", stale, folder.location());
      }
      int held = folder.restoreHeld();
      if (held > 0) {
        err.println("warning: " + held + " paid reply file(s) held at " + folder.heldRoot() + " by an earlier run still "
            + "do not fit in " + folder.location() + "; they stay there until a run finds room");
      }
    } catch (IOException e) {
      throw new UsageException("--outputDir=" + folder.location() + ": cannot tidy it: " + e.getMessage());
    }
  }

  /** Writes a ledger from the folder's reply files; returns the number of lines written. */
  interface Rebuild {
    int write() throws IOException;
  }

  @Override
  public void close() {
    if (lock != null) {
      lock.close();
    }
  }
}
