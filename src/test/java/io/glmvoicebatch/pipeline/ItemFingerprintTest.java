package io.glmvoicebatch.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.glmvoicebatch.audio.NormalizerSettings;
import io.glmvoicebatch.manifest.ManifestItem;
import io.glmvoicebatch.manifest.RequestParams;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The resume key must not move under a refactoring: a fingerprint that changes re-sends and re-bills every
 * item of a finished batch. Version 1 is pinned to a fingerprint a ledger of an earlier release holds
 * (src/test/resources/resume-v1, where cli/ResumeOldLedgerTest resumes from it).
 */
class ItemFingerprintTest {
  private static final String SHA = "37baa2a49768e688ee50c8ddd29818443dc5ec31c32084f2e6d9c7f014497027";
  private static final ManifestItem ITEM = new ManifestItem("en-weather-climate",
      "clips/en-weather-climate.wav", new RequestParams(
      "Answer the student's question in a friendly way, with one everyday example.",
      "You are a patient, encouraging tutor for secondary-school students. Keep answers short and clear.",
      512, 0.7, null), 1);
  private static final RequestParams P = ITEM.params();

  private static String fingerprint(ManifestItem item, NormalizerSettings audio, SegmentPolicy segments) {
    return ItemFingerprint.of(item, SHA, "glm-4-voice", audio, segments);
  }

  @Test
  void versionOneIsTheFingerprintEarlierLedgersHold() {
    assertEquals("e3b3462e28a33ecb4504ab580dda4cce0f3b80ae85aa212af21b6fdb752bb729",
        fingerprint(ITEM, NormalizerSettings.defaults(), SegmentPolicy.defaults()));
    assertEquals("v1", ItemFingerprint.canonical(ITEM, SHA, "glm-4-voice", NormalizerSettings.defaults(),
        SegmentPolicy.defaults()).split("\u0000")[0]);
  }

  @Test
  void everyFieldThatChangesTheRequestChangesTheFingerprint() {
    NormalizerSettings d = NormalizerSettings.defaults();
    SegmentPolicy s = SegmentPolicy.defaults();
    Map<String, String> variants = new LinkedHashMap<>();
    variants.put("input", ItemFingerprint.of(ITEM, SHA.replace('3', '4'), "glm-4-voice", d, s));
    variants.put("model", ItemFingerprint.of(ITEM, SHA, "glm-4-voice-2", d, s));
    variants.put("prompt", fingerprint(ITEM.withParams(P.withPrompt("Answer.")), d, s));
    variants.put("no prompt", fingerprint(ITEM.withParams(P.withPrompt(null)), d, s));
    variants.put("empty prompt", fingerprint(ITEM.withParams(P.withPrompt("")), d, s));
    variants.put("system", fingerprint(ITEM.withParams(P.withSystem("Be brief.")), d, s));
    variants.put("max_tokens", fingerprint(ITEM.withParams(P.withMaxTokens(511)), d, s));
    variants.put("temperature", fingerprint(ITEM.withParams(P.withSampling(0.8, P.topP())), d, s));
    variants.put("top_p", fingerprint(ITEM.withParams(P.withSampling(P.temperature(), 0.5)), d, s));
    variants.put("normalize", fingerprint(ITEM, d.toBuilder().normalize(false).build(), s));
    variants.put("targetRate", fingerprint(ITEM, d.toBuilder().targetRate(22050).build(), s));
    variants.put("targetLufs", fingerprint(ITEM, d.toBuilder().targetLufs(-18).build(), s));
    variants.put("peakCeilingDbfs", fingerprint(ITEM, d.toBuilder().peakCeilingDbfs(-2).build(), s));
    variants.put("maxGainDb", fingerprint(ITEM, d.toBuilder().maxGainDb(12).build(), s));
    variants.put("loudness", fingerprint(ITEM, d.toBuilder().loudness(false).build(), s));
    variants.put("trimSilence", fingerprint(ITEM, d.toBuilder().trimSilence(false).build(), s));
    variants.put("silenceThresholdDbfs", fingerprint(ITEM, d.toBuilder().silenceThresholdDbfs(-70).build(), s));
    variants.put("trimPaddingSeconds", fingerprint(ITEM, d.toBuilder().trimPaddingSeconds(0.5).build(), s));
    variants.put("split", fingerprint(ITEM, d, new SegmentPolicy(false, s.maxSeconds(), s.maxRequestBytes())));
    variants.put("maxSeconds", fingerprint(ITEM, d, new SegmentPolicy(true, 300, s.maxRequestBytes())));
    variants.put("maxRequestBytes", fingerprint(ITEM, d, new SegmentPolicy(true, s.maxSeconds(), 1 << 20)));
    String base = fingerprint(ITEM, d, s);
    variants.forEach((what, changed) -> assertNotEquals(base, changed, what));
    assertEquals(variants.size(), variants.values().stream().distinct().count(), "two changes collide: " + variants);
  }

  /**
   * A new setting is a decision about the fingerprint (a new version, or not part of what is sent): this
   * fails when NormalizerSettings or SegmentPolicy gains or loses a field, so the decision is made.
   */
  @Test
  void theSettingsHoldExactlyTheFieldsVersionOneCovers() {
    assertEquals(9, instanceFields(NormalizerSettings.class), "NormalizerSettings' fields; see ItemFingerprint");
    assertEquals(3, SegmentPolicy.class.getRecordComponents().length, "SegmentPolicy's fields; see ItemFingerprint");
  }

  private static long instanceFields(Class<?> type) {
    return Arrays.stream(type.getDeclaredFields()).filter(f -> !Modifier.isStatic(f.getModifiers()))
        .map(Field::getName).count();
  }
}
