package io.glmvoicebatch.ledger;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.Serializable;

/**
 * Why an item failed or was skipped. {@code code} is the service's business code when it sent one
 * ("1302", "1301"), else ours ("audio_unreadable", "manifest", "http_502", "batch_stopped"...).
 */
public record LedgerError(
    @JsonProperty("code") String code,
    @JsonProperty("http_status") int httpStatus,
    @JsonProperty("message") String message)
    implements Serializable {

  public static LedgerError of(String code, String message) {
    return new LedgerError(code, 0, message);
  }
}
