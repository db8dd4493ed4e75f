package io.glmvoicebatch.api;

import io.glmvoicebatch.manifest.RequestParams;
import java.io.Serializable;
import java.util.Objects;

/** One item to send: the audio clip plus optional text and sampling settings. Immutable. */
public final class ChatRequest implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final String DEFAULT_MODEL = "glm-4-voice";
  /** Documented request_id length bounds. */
  public static final int MIN_REQUEST_ID = 6;
  public static final int MAX_REQUEST_ID = 64;

  private final String requestId;
  private final byte[] audio;
  private final String audioFormat;
  private final RequestParams params;
  private final String model;

  private ChatRequest(Builder b) {
    this.requestId = b.requestId;
    this.audio = b.audio;
    this.audioFormat = b.audioFormat;
    this.params = b.params;
    this.model = b.model;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.requestId = requestId;
    b.audio = audio;
    b.audioFormat = audioFormat;
    b.params = params;
    b.model = model;
    return b;
  }

  /** The item's base request_id; attempts use it as is, then with "-r2", "-r3"... */
  public String requestId() {
    return requestId;
  }

  /** A copy of the whole audio file (header included); null for a text-only request. */
  public byte[] audio() {
    return audio == null ? null : audio.clone();
  }

  /** The audio without copying, for the body writer. */
  byte[] audioUnsafe() {
    return audio;
  }

  public String audioFormat() {
    return audioFormat;
  }

  /** The prompt, system text and sampling settings; {@link RequestParams#NONE} when only audio is sent. */
  public RequestParams params() {
    return params;
  }

  public String model() {
    return model;
  }

  @Override
  public String toString() {
    return "ChatRequest[" + requestId + ", " + (audio == null ? "no audio" : audio.length + " bytes " + audioFormat)
        + ", model=" + model + "]";
  }

  public static final class Builder {
    private String requestId;
    private byte[] audio;
    private String audioFormat = "wav";
    private RequestParams params = RequestParams.NONE;
    private String model = DEFAULT_MODEL;

    private Builder() {}

    /** 6..64 printable ASCII characters, no spaces: it is derived into per-attempt ids and logged. */
    public Builder requestId(String requestId) {
      Objects.requireNonNull(requestId, "requestId");
      if (requestId.length() < MIN_REQUEST_ID || requestId.length() > MAX_REQUEST_ID) {
        throw new IllegalArgumentException(
            "requestId must be 6..64 characters, was " + requestId.length() + ": " + requestId);
      }
      for (int i = 0; i < requestId.length(); i++) {
        char c = requestId.charAt(i);
        if (c <= 0x20 || c >= 0x7f) {
          throw new IllegalArgumentException("requestId must be printable ASCII without spaces: " + requestId);
        }
      }
      this.requestId = requestId;
      return this;
    }

    /** The whole audio file; copied. */
    public Builder audio(byte[] audio, String format) {
      Objects.requireNonNull(audio, "audio");
      Objects.requireNonNull(format, "format");
      if (!format.equals("wav") && !format.equals("mp3")) {
        throw new IllegalArgumentException("audio format must be \"wav\" or \"mp3\": " + format);
      }
      if (audio.length == 0) {
        throw new IllegalArgumentException("audio is empty");
      }
      this.audio = audio.clone();
      this.audioFormat = format;
      return this;
    }

    public Builder audio(byte[] wav) {
      return audio(wav, "wav");
    }

    /** What to ask besides the audio; its bounds are checked where it is made. */
    public Builder params(RequestParams params) {
      this.params = Objects.requireNonNull(params, "params").requireWithinLimits();
      return this;
    }

    public Builder model(String model) {
      Objects.requireNonNull(model, "model");
      if (model.isBlank()) {
        throw new IllegalArgumentException("model is blank");
      }
      this.model = model;
      return this;
    }

    public ChatRequest build() {
      if (requestId == null) {
        throw new IllegalStateException("requestId is required");
      }
      if (audio == null && (params.prompt() == null || params.prompt().isEmpty())) {
        throw new IllegalStateException("a request needs audio or a prompt: " + requestId);
      }
      return new ChatRequest(this);
    }
  }
}
