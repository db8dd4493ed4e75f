package io.glmvoicebatch.ledger;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What an earlier run of the same output folder already settled, by ledger key (an item id, or
 * {@code id#segment} for a segment of a split recording): the last status of each, and the ok record of
 * everything that ended ok, with its fingerprint.
 */
public final class ResumeIndex implements Serializable {
  private static final long serialVersionUID = 2L;

  private final HashMap<String, String> lastStatus = new HashMap<>();
  private final HashMap<String, LedgerRecord> okRecords = new HashMap<>();

  public static ResumeIndex empty() {
    return new ResumeIndex();
  }

  public static ResumeIndex of(LedgerView view) {
    ResumeIndex index = new ResumeIndex();
    for (Map.Entry<String, LedgerRecord> e : view.latest().entrySet()) {
      LedgerRecord r = e.getValue();
      index.lastStatus.put(e.getKey(), r.status());
      if (r.isOk() && r.fingerprint() != null) {
        index.okRecords.put(e.getKey(), r);
      }
    }
    return index;
  }

  /** True when the item ended ok for exactly this input, prompt and parameters. */
  public boolean alreadyDone(String id, String fingerprint) {
    return alreadyDone(id, null, fingerprint);
  }

  /** The same for one segment of a split recording ({@code segment} null: the whole item). */
  public boolean alreadyDone(String id, Integer segment, String fingerprint) {
    LedgerRecord r = okRecords.get(LedgerView.key(id, segment));
    return r != null && fingerprint.equals(r.fingerprint());
  }

  /** The ok record of a segment done earlier, or null. */
  public LedgerRecord okRecord(String id, Integer segment) {
    return okRecords.get(LedgerView.key(id, segment));
  }

  /** The item's last recorded status, or null when it was never seen. */
  public String lastStatus(String id) {
    return lastStatus.get(id);
  }

  /** Ledger keys (items and segments) whose last line says a request was in flight or uncertain. */
  public List<String> uncertainKeys() {
    List<String> keys = new ArrayList<>();
    lastStatus.forEach((key, status) -> {
      if (LedgerRecord.SENDING.equals(status) || LedgerRecord.UNCERTAIN.equals(status)) {
        keys.add(key);
      }
    });
    keys.sort(null);
    return keys;
  }

  public int size() {
    return lastStatus.size();
  }
}
