package io.glmvoicebatch.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The one JSON mapping of ledger lines, shared by writer and reader so they cannot disagree: a typed
 * {@link LedgerRecord} to and from its flat wire form {@link LedgerLine}.
 */
final class LedgerJson {
  static final ObjectMapper MAPPER =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private LedgerJson() {}

  static String line(LedgerRecord record) {
    if (record.status() == LedgerStatus.UNKNOWN) {
      // Only a line read from a newer version has it; writing it back would lose what that version wrote.
      throw new IllegalStateException("ledger record " + record.id() + " has no status this version can write");
    }
    try {
      return MAPPER.writeValueAsString(LedgerLine.of(record));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("ledger record not serializable: " + record.id(), e);
    }
  }

  static LedgerRecord parse(String line) throws JsonProcessingException {
    return MAPPER.readValue(line, LedgerLine.class).record();
  }
}
