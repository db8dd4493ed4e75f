package io.glmvoicebatch.cli;

import io.glmvoicebatch.ledger.LedgerLocation;
import io.glmvoicebatch.ledger.LedgerMoney;
import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.ledger.LedgerStatus;
import io.glmvoicebatch.ledger.LedgerTally;
import io.glmvoicebatch.ledger.LedgerView;
import io.glmvoicebatch.manifest.IdLines;
import io.glmvoicebatch.manifest.ManifestItem;
import io.glmvoicebatch.manifest.ManifestProblem;
import io.glmvoicebatch.manifest.ManifestReader;
import io.glmvoicebatch.pipeline.CallGlmVoice;
import io.glmvoicebatch.pipeline.ManifestInput;
import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;

/**
 * The end-of-batch summary as streaming passes over the manifest and the ledger, so the launcher holds
 * one record at a time and a compact table of ids, never the ledger: which ids are the manifest's, which
 * ledger line holds each one's final state, then one pass summing those lines and this run's lines.
 */
final class LedgerFold {
  private LedgerFold() {}

  /** How many records the ledger holds now: where this run's lines will start. */
  static int records(LedgerLocation ledger, Consumer<String> unreadable) throws IOException {
    int[] n = {0};
    forEach(ledger, r -> n[0]++, unreadable);
    return n[0];
  }

  /** Every readable record in order, one at a time. */
  private static void forEach(LedgerLocation ledger, Consumer<LedgerRecord> record, Consumer<String> unreadable)
      throws IOException {
    ledger.forEachLine((number, r, bad) -> {
      if (r != null) {
        record.accept(r);
      } else {
        unreadable.accept(bad);
      }
    });
  }

  /**
   * The fold's result.
   *
   * @param manifestItems the manifest's valid items
   * @param others items in the folder's ledger that are not this manifest's
   * @param budgetSkipped whether this run skipped an item for the budget
   * @param diskFull why this run stopped sending for want of disk space, or null
   */
  record Result(BatchSummary summary, int manifestItems, OtherManifests others, boolean budgetSkipped,
      String diskFull) {}

  /**
   * Sums the final state of each of the manifest's items, and this run's lines (those after the first
   * {@code recordsBefore}); the ledger keys this run marked uncertain go to {@code uncertainFromLastRun}.
   */
  static Result summary(LedgerLocation ledger, ManifestInput manifest, int recordsBefore, int cap,
      List<String> uncertainFromLastRun) throws IOException {
    IdLines wanted = new IdLines();
    int[] items = manifestIds(manifest, wanted);
    LedgerMoney index = new LedgerMoney();
    int[] n = {0};
    forEach(ledger, r -> index.index(++n[0], r), bad -> { });

    LedgerTally mine = new LedgerTally();
    LedgerTally others = new LedgerTally();
    LedgerTally thisRun = new LedgerTally();
    int[] i = {0};
    boolean[] budget = {false};
    String[] diskFull = {null};
    forEach(ledger, r -> {
      int line = ++i[0];
      (wanted.get(r.id()) != 0 ? mine : others).add(index, line, r);
      if (line > recordsBefore) {
        thisRun.append(r);
        budget[0] |= "budget".equals(r.reason());
        if (diskFull[0] == null && CallGlmVoice.DISK_FULL.equals(r.reason())) {
          diskFull[0] = r.error() != null ? r.error().message().replaceFirst("^not sent: ", "")
              : "disk full: paid replies are held outside --outputDir (see the ledger's warnings); free some space "
                  + "and run the same command to move them into place";
        }
        if (r.status() == LedgerStatus.UNCERTAIN && LedgerRecord.UNCERTAIN_REASON.equals(r.reason())) {
          uncertainFromLastRun.add(LedgerView.key(r.id(), r.segment()));
        }
      }
    }, bad -> { });
    uncertainFromLastRun.sort(null);
    BatchSummary summary = new BatchSummary(mine, thisRun, cap).otherManifestItems(others.items());
    return new Result(summary, items[0], new OtherManifests(others.items(), others.ok()), budget[0],
        diskFull[0]);
  }

  /**
   * Where a run's progress starts when its workers are other JVMs: the manifest's lines (items and bad
   * lines: the progress line's total) and how many of its items the ledger already holds ok.
   */
  record Start(long manifestLines, long alreadyOk) {}

  static Start start(LedgerLocation ledger, ManifestInput manifest) throws IOException {
    IdLines wanted = new IdLines();
    int[] lines = manifestIds(manifest, wanted);
    LedgerMoney index = new LedgerMoney();
    int[] n = {0};
    forEach(ledger, r -> index.index(++n[0], r), bad -> { });
    LedgerTally mine = new LedgerTally();
    int[] i = {0};
    forEach(ledger, r -> {
      int line = ++i[0];
      if (wanted.get(r.id()) != 0) {
        mine.add(index, line, r);
      }
    }, bad -> { });
    return new Start(lines[0] + lines[1], mine.ok());
  }

  /** Marks each id of the manifest (items and bad lines) in {@code wanted}; returns {items, bad lines}. */
  private static int[] manifestIds(ManifestInput manifest, IdLines wanted) throws IOException {
    int[] counts = {0, 0};
    manifest.stream(new ManifestReader.Sink() {
      @Override
      public void item(ManifestItem item) {
        wanted.put(item.id(), 1);
        counts[0]++;
      }

      @Override
      public void problem(ManifestProblem problem) {
        wanted.put(problem.id(), 1);
        counts[1]++;
      }
    });
    return counts;
  }

  /** The ids of the manifest's items and bad lines, as a compact set (a million ids in a few megabytes). */
  static IdLines ids(ManifestInput manifest) throws IOException {
    IdLines ids = new IdLines();
    manifestIds(manifest, ids);
    return ids;
  }
}
