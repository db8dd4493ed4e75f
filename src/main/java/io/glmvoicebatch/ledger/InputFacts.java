package io.glmvoicebatch.ledger;

import java.io.Serializable;
import java.util.List;

/**
 * What was known of the input before it was sent: the recording (as the manifest names it) and its hash,
 * the resume fingerprint and its version, the decoded format, and the audio as prepared and sent.
 *
 * @param fingerprintVersion the version of the fingerprint's canonical text (pipeline/ItemFingerprint);
 *     a line written before the version was recorded reads as version 1
 * @param sentAudio the audio as sent, relative to the output folder (kept with {@code --keepNormalizedAudio})
 */
public record InputFacts(String audio, String sha256, String fingerprint, Integer fingerprintVersion,
    AudioFacts format, Double seconds, Double secondsSent, Double gainDb, List<String> warnings, String sentAudio)
    implements Serializable {

  public static final InputFacts NONE = new InputFacts(null, null, null, null, null, null, null, null, null, null);

  /** The recording the manifest names, nothing decoded yet (a line for an item that never got further). */
  public static InputFacts of(String audio) {
    return NONE.withAudio(audio);
  }

  public InputFacts withAudio(String audio) {
    return new InputFacts(audio, sha256, fingerprint, fingerprintVersion, format, seconds, secondsSent, gainDb,
        warnings, sentAudio);
  }

  public InputFacts withSeconds(Double seconds) {
    return new InputFacts(audio, sha256, fingerprint, fingerprintVersion, format, seconds, secondsSent, gainDb,
        warnings, sentAudio);
  }

  public InputFacts withSecondsSent(Double secondsSent) {
    return new InputFacts(audio, sha256, fingerprint, fingerprintVersion, format, seconds, secondsSent, gainDb,
        warnings, sentAudio);
  }

  public InputFacts withWarnings(List<String> warnings) {
    return new InputFacts(audio, sha256, fingerprint, fingerprintVersion, format, seconds, secondsSent, gainDb,
        warnings, sentAudio);
  }

  public InputFacts withSentAudio(String sentAudio) {
    return new InputFacts(audio, sha256, fingerprint, fingerprintVersion, format, seconds, secondsSent, gainDb,
        warnings, sentAudio);
  }

  /** The input's hash and the resume fingerprint (of that {@code version}) it makes with the request. */
  public InputFacts withFingerprint(String sha256, String fingerprint, Integer version) {
    return new InputFacts(audio, sha256, fingerprint, version, format, seconds, secondsSent, gainDb, warnings,
        sentAudio);
  }

  /** What decoding and preparing the audio found. */
  public InputFacts decoded(AudioFacts format, Double secondsSent, Double gainDb, List<String> warnings) {
    return new InputFacts(audio, sha256, fingerprint, fingerprintVersion, format, format.seconds(), secondsSent,
        gainDb, warnings, sentAudio);
  }
}
