package io.glmvoicebatch.simulator;

import java.util.List;

/**
 * A request that passed validation, reduced to what the simulated model needs.
 *
 * @param requestId the caller's request_id, or null
 * @param promptText all prompt text (system, user text parts, assistant content) joined by newlines
 * @param clips the input audio clips in order
 * @param promptTokens billed prompt tokens (audio + text + referenced earlier reply audio)
 */
record ChatRequest(
    String model,
    boolean stream,
    int maxTokens,
    String requestId,
    String userId,
    String stop,
    String promptText,
    List<ClipDuration> clips,
    long promptTokens) {

  double inputAudioSeconds() {
    return clips.stream().mapToDouble(ClipDuration::seconds).sum();
  }
}
