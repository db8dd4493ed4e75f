package io.glmvoicebatch.ledger;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What an earlier run of the same output folder already settled, by ledger key (an item id, or
 * {@code id#segment} for a segment of a split recording): the last status of each, the fingerprint of
 * everything that ended ok, the ok records of segments (their replies are stitched again) and the records
 * of what was left in flight. Compact: no whole record is kept for an ok item.
 *
 * <p>A lazy index ({@link #lazy}) is what the pipeline carries: it names the ledger, and each JVM reads
 * the ledger once, on first use ({@link #loaded}, kept by the batch's runtime), so the launcher never holds
 * the ledger. Reading it during the run is safe: before an item is processed, this run has written nothing
 * under the item's keys.
 */
public final class ResumeIndex implements Serializable {
  private static final long serialVersionUID = 4L;

  private final LedgerLocation source;
  private final Tables eager;

  /** The index's content. */
  private static final class Tables implements Serializable {
    private static final long serialVersionUID = 2L;
    final HashMap<String, LedgerStatus> lastStatus = new HashMap<>();
    final HashMap<String, String> okFingerprints = new HashMap<>();
    final HashMap<String, LedgerRecord> okSegments = new HashMap<>();
    final HashMap<String, List<LedgerRecord>> inFlightByItem = new HashMap<>();

    void add(Map<String, LedgerRecord> latest) {
      for (Map.Entry<String, LedgerRecord> e : latest.entrySet()) {
        LedgerRecord r = e.getValue();
        String key = e.getKey();
        lastStatus.put(key, r.status());
        if (r.isOk() && r.input().fingerprint() != null) {
          okFingerprints.put(key, r.input().fingerprint());
          if (r.segment() != null) {
            okSegments.put(key, r);
          }
        }
        if (r.status() == LedgerStatus.SENDING) {
          inFlightByItem.computeIfAbsent(r.id(), k -> new ArrayList<>()).add(r);
        }
      }
    }
  }

  private ResumeIndex(LedgerLocation source, Tables eager) {
    this.source = source;
    this.eager = eager;
  }

  public static ResumeIndex empty() {
    return new ResumeIndex(null, new Tables());
  }

  public static ResumeIndex of(LedgerView view) {
    Tables t = new Tables();
    t.add(view.latest());
    return new ResumeIndex(null, t);
  }

  /** The index of {@code ledger} as it is when {@link #loaded} reads it (once per JVM and batch). */
  public static ResumeIndex lazy(LedgerLocation ledger) {
    return new ResumeIndex(ledger, null);
  }

  /** This index with its tables: itself, or for a lazy index the ledger read now. */
  public ResumeIndex loaded() {
    if (eager != null) {
      return this;
    }
    try {
      return of(source.read());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the ledger " + source + " to resume from it", e);
    }
  }

  private Tables tables() {
    if (eager == null) {
      throw new IllegalStateException("a lazy resume index of " + source + " is read through loaded()");
    }
    return eager;
  }

  /** True when the item ended ok for exactly this input, prompt and parameters. */
  public boolean alreadyDone(String id, String fingerprint) {
    return alreadyDone(id, null, fingerprint);
  }

  /** The same for one segment of a split recording ({@code segment} null: the whole item). */
  public boolean alreadyDone(String id, Integer segment, String fingerprint) {
    return fingerprint.equals(tables().okFingerprints.get(LedgerView.key(id, segment)));
  }

  /** The ok record of a segment done earlier, or null. */
  public LedgerRecord okRecord(String id, Integer segment) {
    return tables().okSegments.get(LedgerView.key(id, segment));
  }

  /** The item's last recorded status, or null when it was never seen. */
  public LedgerStatus lastStatus(String id) {
    return tables().lastStatus.get(id);
  }

  /** The last lines of the item and its segments that say a request was in flight ({@code sending}). */
  public List<LedgerRecord> inFlight(String id) {
    return tables().inFlightByItem.getOrDefault(id, List.of());
  }

  /** Ledger keys (items and segments) whose last line says a request was in flight or uncertain. */
  public List<String> uncertainKeys() {
    List<String> keys = new ArrayList<>();
    tables().lastStatus.forEach((key, status) -> {
      if (status == LedgerStatus.SENDING || status == LedgerStatus.UNCERTAIN) {
        keys.add(key);
      }
    });
    keys.sort(null);
    return keys;
  }

  public int size() {
    return tables().lastStatus.size();
  }
}
