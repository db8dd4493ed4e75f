package io.glmvoicebatch.simulator;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * What the simulated model says: reply text, how many seconds of speech, and the completion tokens
 * that costs, already fitted under max_tokens (finish_reason "length" when it had to be cut).
 */
record ReplyPlan(String text, long audioFrames, int sampleRate, String finishReason) {
  private static final String[] FOLLOW_UPS = {
    "Thank you for sharing that with me.",
    "That sounds like an interesting point.",
    "Let me know if you would like me to go into more detail.",
    "I think the main idea comes through clearly.",
    "Is there anything else you would like to talk about?",
    "Here is a short summary of what I understood.",
    "It was a pleasure listening to you.",
  };

  long textTokens() {
    return ServiceTokens.text(text);
  }

  long audioTokens() {
    return ServiceTokens.audio(audioFrames, sampleRate);
  }

  long completionTokens() {
    return textTokens() + audioTokens();
  }

  static ReplyPlan plan(ChatRequest request, SimulatorConfig config, SplittableRandom random) {
    int rate = config.replySampleRate();
    double inputSeconds = request.inputAudioSeconds();
    String text = replyText(request, inputSeconds, random);

    // Reply speech grows with the input, within the configured range.
    double minS = config.minReplySpeech().toMillis() / 1000.0;
    double maxS = config.maxReplySpeech().toMillis() / 1000.0;
    double drive = inputSeconds > 0 ? 0.5 * inputSeconds : 0.02 * request.promptText().length();
    double seconds = Math.max(minS, Math.min(maxS, drive + 1 + random.nextDouble() * 2));

    String finish = "stop";
    if (request.stop() != null) {
      int at = text.indexOf(request.stop());
      if (at >= 0) {
        seconds *= Math.max(0.1, (double) at / text.length());
        text = text.substring(0, at); // generation halts at the stop word, which is not returned
      }
    }

    long budget = request.maxTokens();
    long audioTokens = ServiceTokens.audioSeconds(seconds);
    long textTokens = ServiceTokens.text(text);
    if (textTokens + audioTokens > budget) {
      finish = "length";
      if (textTokens > budget - 1) { // keep at least one token of speech
        text = truncateToTokens(text, budget - 1);
        textTokens = ServiceTokens.text(text);
      }
      audioTokens = budget - textTokens;
    }
    long frames = ServiceTokens.framesFor(audioTokens, rate);
    return new ReplyPlan(text, frames, rate, finish);
  }

  private static String replyText(ChatRequest request, double inputSeconds, SplittableRandom random) {
    StringBuilder sb = new StringBuilder();
    if (inputSeconds > 0) {
      sb.append(String.format(Locale.ROOT, "I heard about %.1f seconds of audio.", inputSeconds));
    } else {
      sb.append("I read your message.");
    }
    int extra = 1 + random.nextInt(3);
    for (int i = 0; i < extra; i++) {
      sb.append(' ').append(FOLLOW_UPS[random.nextInt(FOLLOW_UPS.length)]);
    }
    return sb.toString();
  }

  private static String truncateToTokens(String text, long maxTokens) {
    if (maxTokens <= 0) {
      return "";
    }
    int end = 0;
    while (end < text.length()) {
      int next = text.offsetByCodePoints(end, 1);
      if (ServiceTokens.text(text.substring(0, next)) > maxTokens) {
        break;
      }
      end = next;
    }
    return text.substring(0, end);
  }
}
