package io.glmvoicebatch.cli;

import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.ledger.LedgerView;
import io.glmvoicebatch.manifest.Manifest;
import io.glmvoicebatch.manifest.ManifestItem;
import io.glmvoicebatch.manifest.ManifestProblem;
import java.util.HashSet;
import java.util.Set;

/**
 * A re-run into a folder that holds another manifest's outputs: the summary counts this manifest's items
 * only, so the console says what else the folder holds (and the report offers both views).
 */
record OtherManifests(int items, int ok) {

  /** Counts the items of {@code ledger} (not segments) that are not in {@code manifest}. */
  static OtherManifests of(LedgerView ledger, Manifest manifest) {
    Set<String> ids = new HashSet<>();
    for (ManifestItem i : manifest.items()) {
      ids.add(i.id());
    }
    for (ManifestProblem p : manifest.problems()) {
      ids.add(p.id());
    }
    int others = 0;
    int otherOk = 0;
    for (LedgerRecord r : ledger.latest().values()) {
      if (r.segment() == null && !ids.contains(r.id())) {
        others++;
        if (r.isOk()) {
          otherOk++;
        }
      }
    }
    return new OtherManifests(others, otherOk);
  }

  /** The note for the console, or null when every item of the folder is in the manifest. */
  String note(int manifestItems) {
    if (items == 0) {
      return null;
    }
    return "note: this folder also holds " + items + " item(s) of other manifests (" + ok + " ok, their files "
        + "still in audio/ and text/); the figures above count this manifest's " + manifestItems
        + " item(s) only, and report.html shows either (its \"Show\" choice)";
  }
}
