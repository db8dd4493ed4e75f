package io.glmvoicebatch.ledger;

import java.io.Serializable;

/**
 * The reply: its audio and text files (relative to the output folder), the audio's length, the form the
 * audio came in on the wire, why the model stopped, and the model that answered.
 */
public record ReplyFacts(String outputAudio, String outputText, Double replySeconds, String replyWireForm,
    String finishReason, String model) implements Serializable {

  public static final ReplyFacts NONE = new ReplyFacts(null, null, null, null, null, null);

  /** The reply's files, the rest unchanged. */
  public ReplyFacts withFiles(String outputAudio, String outputText) {
    return new ReplyFacts(outputAudio, outputText, replySeconds, replyWireForm, finishReason, model);
  }

  public ReplyFacts withReplySeconds(Double replySeconds) {
    return new ReplyFacts(outputAudio, outputText, replySeconds, replyWireForm, finishReason, model);
  }

  public ReplyFacts withModel(String model) {
    return new ReplyFacts(outputAudio, outputText, replySeconds, replyWireForm, finishReason, model);
  }
}
