package io.glmvoicebatch.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The one JSON mapping of ledger lines, shared by writer and reader so they cannot disagree. */
final class LedgerJson {
  static final ObjectMapper MAPPER =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private LedgerJson() {}

  static String line(LedgerRecord record) {
    try {
      return MAPPER.writeValueAsString(record);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("ledger record not serializable: " + record.id(), e);
    }
  }

  static LedgerRecord parse(String line) throws JsonProcessingException {
    return MAPPER.readValue(line, LedgerRecord.class);
  }
}
