package io.glmvoicebatch.simulator;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers the audio ids this simulator issued and their token cost, so an assistant turn that
 * references one (multi-turn) is billed as prompt. Bounded: old ids expire like the real ones.
 */
final class ReplyAudioRegistry {
  private static final int CAPACITY = 10_000;

  private final Map<String, Long> tokensById =
      new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
          return size() > CAPACITY;
        }
      };

  synchronized void remember(String audioId, long tokens) {
    tokensById.put(audioId, tokens);
  }

  /** Tokens of an issued audio id; 0 when unknown or expired. */
  synchronized long tokensOf(String audioId) {
    return tokensById.getOrDefault(audioId, 0L);
  }
}
