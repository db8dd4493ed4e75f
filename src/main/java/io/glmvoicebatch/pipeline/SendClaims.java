package io.glmvoicebatch.pipeline;

import io.glmvoicebatch.ledger.LedgerLocation;
import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.ledger.LedgerView;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * At most one send per request per run, whatever the runner re-executes. A runner that retries a task,
 * restarts a dead worker's tasks or recomputes a partition calls the stage again for items an earlier
 * attempt already claimed, in this JVM or one that is gone. Each request is claimed by creating
 * {@code .claims/<run>/<request id>} in the output folder exclusively (atomic on a local or shared POSIX
 * folder); a request whose claim already exists is not sent blindly: {@link #earlier} tells what the earlier
 * attempt left in the ledger (its intent line is written and fsynced before each send).
 *
 * <p>Object-store output folders have no exclusive create: there every request counts as unclaimed.
 */
public final class SendClaims implements Serializable {
  static final String FOLDER = ".claims";

  private final String run;
  private transient Map<String, LedgerRecord> earlierLines;

  /** {@code run} names this run: the same in every task attempt of one pipeline, new for the next run. */
  SendClaims(String run) {
    this.run = run;
  }

  /** True if this attempt is the first of this run to claim the request (or claims are not possible). */
  boolean claim(LedgerLocation ledger, String requestId) {
    if (!ledger.isLocal()) {
      return true;
    }
    Path dir = ledger.file().resolveSibling(FOLDER).resolve(run);
    try {
      Files.createDirectories(dir);
      Files.createFile(dir.resolve(requestId));
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot claim request " + requestId + " in " + dir, e);
    }
  }

  /**
   * The ledger's latest line for an item (or segment) an earlier attempt claimed, read once per DoFn
   * instance at its first re-claimed request: by then the earlier attempt's lines are on disk.
   */
  synchronized LedgerRecord earlier(LedgerLocation ledger, String id, Integer segment) {
    if (earlierLines == null) {
      try {
        earlierLines = ledger.read().latest();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + ledger + " to see what an earlier attempt sent", e);
      }
    }
    return earlierLines.get(LedgerView.key(id, segment));
  }

  /** Removes this run's claims once the run is over (nothing re-executes it any more). */
  public static void clear(LedgerLocation ledger) {
    if (!ledger.isLocal()) {
      return;
    }
    Path claims = ledger.file().resolveSibling(FOLDER);
    try (var paths = Files.exists(claims) ? Files.walk(claims) : java.util.stream.Stream.<Path>empty()) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // Harmless: claims of a finished run are never consulted again.
    }
  }
}
