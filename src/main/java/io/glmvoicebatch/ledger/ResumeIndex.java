package io.glmvoicebatch.ledger;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * What an earlier run of the same output folder already settled, keyed by item id: the fingerprint of
 * each item whose last state is ok, and the items left failed or in flight ("sending") when it stopped.
 */
public final class ResumeIndex implements Serializable {
  private static final long serialVersionUID = 1L;

  private final HashMap<String, String> okFingerprints = new HashMap<>();
  private final HashMap<String, String> lastStatus = new HashMap<>();

  public static ResumeIndex empty() {
    return new ResumeIndex();
  }

  public static ResumeIndex of(LedgerView view) {
    ResumeIndex index = new ResumeIndex();
    for (LedgerRecord r : view.latest().values()) {
      if (r.segment() != null) {
        continue;
      }
      index.lastStatus.put(r.id(), r.status());
      if (r.isOk() && r.fingerprint() != null) {
        index.okFingerprints.put(r.id(), r.fingerprint());
      }
    }
    return index;
  }

  /** True when the item already ended ok for exactly this input, prompt and parameters. */
  public boolean alreadyDone(String id, String fingerprint) {
    return fingerprint.equals(okFingerprints.get(id));
  }

  /** The item's last recorded status, or null when it was never seen. */
  public String lastStatus(String id) {
    return lastStatus.get(id);
  }

  public Map<String, String> lastStatuses() {
    return Map.copyOf(lastStatus);
  }

  public int size() {
    return lastStatus.size();
  }
}
