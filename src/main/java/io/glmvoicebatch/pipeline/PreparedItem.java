package io.glmvoicebatch.pipeline;

import io.glmvoicebatch.audio.PreparedAudio;
import io.glmvoicebatch.manifest.ManifestItem;
import java.io.Serializable;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * An item whose audio is decoded, normalized and ready to send.
 *
 * @param fingerprint hash of input bytes, prompt and request parameters: the resume key
 * @param startedAt when the item entered the audio stage
 */
public record PreparedItem(
    ManifestItem item,
    String inputSha256,
    String fingerprint,
    PreparedAudio audio,
    Instant startedAt,
    Integer segment,
    Integer segments,
    Double segmentStartSeconds)
    implements Serializable {

  /** A whole recording, sent in one request. */
  public PreparedItem(ManifestItem item, String inputSha256, String fingerprint, PreparedAudio audio, Instant startedAt) {
    this(item, inputSha256, fingerprint, audio, startedAt, null, null, null);
  }

  /** Key of this item (or segment) in the ledger's view. */
  public String ledgerKey() {
    return io.glmvoicebatch.ledger.LedgerView.key(item.id(), segment);
  }

  /**
   * Value equality, audio bytes included: Beam's Direct runner checks that elements are not mutated by
   * comparing them, and PreparedAudio itself has identity equality.
   */
  @Override
  public boolean equals(Object o) {
    if (!(o instanceof PreparedItem other)) {
      return false;
    }
    return item.equals(other.item)
        && inputSha256.equals(other.inputSha256)
        && fingerprint.equals(other.fingerprint)
        && startedAt.equals(other.startedAt)
        && Objects.equals(segment, other.segment)
        && Arrays.equals(audio.wavBytes(), other.audio.wavBytes())
        && audio.input().equals(other.audio.input())
        && audio.silent() == other.audio.silent()
        && Double.compare(audio.gainDb(), other.audio.gainDb()) == 0
        && audio.warnings().equals(other.audio.warnings());
  }

  @Override
  public int hashCode() {
    return Objects.hash(item, fingerprint, segment);
  }

  /** request_id base for this item: stable for the same input, 27 characters, attempt suffixes added by the client. */
  public String requestIdBase() {
    String key = item.id() + "\n" + fingerprint + (segment == null ? "" : "\n#" + segment);
    return "gvb" + ItemFingerprint.sha256Hex(key).substring(0, 24);
  }
}
