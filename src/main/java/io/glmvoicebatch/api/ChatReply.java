package io.glmvoicebatch.api;

import java.io.Serializable;

/** A successful, complete reply: text, spoken audio and billed usage. */
public final class ChatReply implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String requestId;
  private final String responseId;
  private final String text;
  private final String finishReason;
  private final String audioId;
  private final String audioExpiresAt;
  private final ReplyAudio audio;
  private final Usage usage;

  ChatReply(String requestId, String responseId, String text, String finishReason, String audioId,
      String audioExpiresAt, ReplyAudio audio, Usage usage) {
    this.requestId = requestId;
    this.responseId = responseId;
    this.text = text;
    this.finishReason = finishReason;
    this.audioId = audioId;
    this.audioExpiresAt = audioExpiresAt;
    this.audio = audio;
    this.usage = usage;
  }

  /** The request_id the service echoed (the attempt's id), or the attempt's id if it echoed none. */
  public String requestId() {
    return requestId;
  }

  /** The service's {@code id}. */
  public String responseId() {
    return responseId;
  }

  /** {@code choices[0].message.content}: the text of the spoken reply; may be empty. */
  public String text() {
    return text;
  }

  public String finishReason() {
    return finishReason;
  }

  /** {@code audio.id}, usable in a later multi-turn request; null if absent. */
  public String audioId() {
    return audioId;
  }

  /** {@code audio.expires_at} as sent (number or string, kept as text); null if absent. */
  public String audioExpiresAt() {
    return audioExpiresAt;
  }

  public ReplyAudio audio() {
    return audio;
  }

  public Usage usage() {
    return usage;
  }

  @Override
  public String toString() {
    return "ChatReply[requestId=" + requestId + ", responseId=" + responseId + ", finish=" + finishReason
        + ", textChars=" + (text == null ? 0 : text.length()) + ", " + audio + ", " + usage + "]";
  }
}
