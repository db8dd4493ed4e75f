package io.glmvoicebatch.pipeline;

import io.glmvoicebatch.audio.PreparedAudio;
import io.glmvoicebatch.manifest.ManifestItem;
import java.io.Serializable;
import java.time.Instant;

/**
 * An item whose audio is decoded, normalized and ready to send.
 *
 * @param fingerprint hash of input bytes, prompt and request parameters: the resume key
 * @param startedAt when the item entered the audio stage
 */
public record PreparedItem(
    ManifestItem item, String inputSha256, String fingerprint, PreparedAudio audio, Instant startedAt)
    implements Serializable {

  /** request_id base for this item: stable for the same input, 27 characters, attempt suffixes added by the client. */
  public String requestIdBase() {
    return "gvb" + ItemFingerprint.sha256Hex(item.id() + "\n" + fingerprint).substring(0, 24);
  }
}
