package io.glmvoicebatch.cluster;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.ledger.LedgerStatus;
import io.glmvoicebatch.ledger.LedgerView;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which items the simulator billed more than once (its request ids mapped to items through the ledger), and
 * which items the ledger flags {@code uncertain}: every item billed twice must be flagged.
 */
record BilledTwice(Set<String> billedTwice, Set<String> flagged) {

  static BilledTwice of(LedgerView ledger, JsonNode stats) {
    Map<String, String> itemOfRequest = new HashMap<>();
    Set<String> flagged = new TreeSet<>();
    for (LedgerRecord r : ledger.lines()) {
      if (r.call().requestId() != null) {
        itemOfRequest.put(r.call().requestId(), r.id());
      }
      if (r.call().requestIds() != null) {
        r.call().requestIds().forEach(id -> itemOfRequest.put(id, r.id()));
      }
      if (r.status() == LedgerStatus.UNCERTAIN) {
        flagged.add(r.id());
      }
    }
    Map<String, Integer> sends = new HashMap<>();
    for (JsonNode id : stats.get("requestIdsSeen")) {
      String item = itemOfRequest.get(id.asText());
      assertTrue(item != null, "request " + id.asText() + " was billed but is named nowhere in the ledger");
      sends.merge(item, 1, Integer::sum);
    }
    Set<String> twice = new TreeSet<>();
    sends.forEach((item, n) -> {
      if (n > 1) {
        twice.add(item);
      }
    });
    return new BilledTwice(twice, flagged);
  }

  /** Tokens of the ledger's concluded lines (what the summary counts as billed). */
  static long ledgerTokens(LedgerView ledger) {
    return ledger.lines().stream().filter(r -> r.usage().totalTokens() != null && r.status() != LedgerStatus.SENDING
        && r.status() != LedgerStatus.UNCERTAIN).mapToLong(r -> r.usage().totalTokens()).sum();
  }
}
