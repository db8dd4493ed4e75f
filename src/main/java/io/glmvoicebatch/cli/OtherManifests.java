package io.glmvoicebatch.cli;

/**
 * A re-run into a folder that holds another manifest's outputs: the summary counts this manifest's items
 * only, so the console says what else the folder holds (and the report offers both views). Counted by
 * {@link LedgerFold}.
 */
record OtherManifests(int items, int ok) {

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
