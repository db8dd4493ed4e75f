package io.glmvoicebatch.api;

import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okio.BufferedSink;

/**
 * The chat-completions JSON, streamed: the audio is base64-encoded by Jackson straight into OkHttp's
 * sink, so a large clip never exists as a base64 String. The exact length is known up front (JSON
 * without the audio, plus 4*ceil(n/3)), so the request carries a Content-Length, not chunks.
 */
final class ChatRequestBody extends RequestBody {
  static final MediaType JSON_TYPE = MediaType.get("application/json");
  private static final byte[] NO_AUDIO = new byte[0];
  private static final JsonFactory JSON = JsonFactory.builder()
      .disable(com.fasterxml.jackson.core.StreamWriteFeature.AUTO_CLOSE_TARGET)
      .build();

  private final ChatRequest request;
  private final String attemptRequestId;
  private final long contentLength;

  ChatRequestBody(ChatRequest request, String attemptRequestId) {
    this.request = request;
    this.attemptRequestId = attemptRequestId;
    byte[] audio = request.audioUnsafe();
    long audioChars = audio == null ? 0 : 4L * ((audio.length + 2) / 3);
    ByteArrayOutputStream skeleton = new ByteArrayOutputStream(512);
    try {
      write(skeleton, NO_AUDIO);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // in-memory: cannot happen
    }
    this.contentLength = skeleton.size() + audioChars;
  }

  @Override
  public MediaType contentType() {
    return JSON_TYPE;
  }

  @Override
  public long contentLength() {
    return contentLength;
  }

  @Override
  public void writeTo(BufferedSink sink) throws IOException {
    write(sink.outputStream(), request.audioUnsafe());
  }

  private void write(OutputStream out, byte[] audioOrEmpty) throws IOException {
    ChatRequest r = request;
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("model", r.model());
      g.writeArrayFieldStart("messages");
      if (r.params().system() != null) {
        g.writeStartObject();
        g.writeStringField("role", "system");
        g.writeStringField("content", r.params().system());
        g.writeEndObject();
      }
      g.writeStartObject();
      g.writeStringField("role", "user");
      g.writeArrayFieldStart("content");
      if (r.params().prompt() != null) {
        g.writeStartObject();
        g.writeStringField("type", "text");
        g.writeStringField("text", r.params().prompt());
        g.writeEndObject();
      }
      if (r.audioUnsafe() != null) {
        g.writeStartObject();
        g.writeStringField("type", "input_audio");
        g.writeObjectFieldStart("input_audio");
        g.writeFieldName("data");
        g.writeBinary(Base64Variants.MIME_NO_LINEFEEDS, audioOrEmpty, 0, audioOrEmpty.length);
        g.writeStringField("format", r.audioFormat());
        g.writeEndObject();
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
      g.writeEndArray();
      g.writeStringField("request_id", attemptRequestId);
      if (r.params().maxTokens() != null) {
        g.writeNumberField("max_tokens", r.params().maxTokens());
      }
      if (r.params().temperature() != null) {
        g.writeNumberField("temperature", r.params().temperature());
      }
      if (r.params().topP() != null) {
        g.writeNumberField("top_p", r.params().topP());
      }
      g.writeBooleanField("stream", false);
      g.writeEndObject();
    }
  }
}
