package io.glmvoicebatch.api;

import com.fasterxml.jackson.core.Base64Variant;
import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glmvoicebatch.audio.AudioFormatException;
import java.io.IOException;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Reads one HTTP response into a reply or an {@link ApiError}. Success bodies are read whole (10 minutes
 * of reply audio is about 70 MB of base64) and parsed from memory, the audio decoded straight from the
 * body bytes, never through a String; error bodies are small. IOExceptions that escape are transport
 * failures while reading the body; JSON syntax problems never escape.
 */
final class ReplyParser {
  /** Largest error body we read; a gateway HTML page is a few KB. */
  private static final long MAX_ERROR_BODY = 64 * 1024;
  private static final int SNIPPET_CHARS = 200;
  // Reply audio of up to 4K output tokens can be well over Jackson's default 20M-char string limit.
  private static final JsonFactory JSON = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
      .build();
  private static final ObjectMapper MAPPER = new ObjectMapper();
  /** Standard alphabet; padding optional and line breaks tolerated, in case an encoder wraps lines. */
  private static final Base64Variant BASE64 =
      Base64Variants.MIME_NO_LINEFEEDS.withReadPadding(Base64Variant.PaddingReadBehaviour.PADDING_ALLOWED);

  private final RetryPolicy policy;
  private final ApiCredentials credentials;
  private final ReplyAudioDecoder audioDecoder;

  ReplyParser(RetryPolicy policy, ApiCredentials credentials, ReplyAudioDecoder audioDecoder) {
    this.policy = policy;
    this.credentials = credentials;
    this.audioDecoder = audioDecoder;
  }

  /** What one attempt produced: a reply, or an error plus any usage the reply still reported. */
  static final class Result {
    final ChatReply reply;
    final ApiError error;
    final Usage usage;

    private Result(ChatReply reply, ApiError error, Usage usage) {
      this.reply = reply;
      this.error = error;
      this.usage = usage;
    }

    static Result ok(ChatReply reply) {
      return new Result(reply, null, reply.usage());
    }

    static Result failed(ApiError error, Usage usage) {
      return new Result(null, error, usage);
    }
  }

  Result parse(Response response, String attemptRequestId) throws IOException {
    int status = response.code();
    ResponseBody body = response.body();
    if (status < 200 || status > 299) {
      String text = body == null ? "" : response.peekBody(MAX_ERROR_BODY).string();
      return Result.failed(errorFromBody(status, text, contentType(response)), null);
    }
    if (body == null) {
      return Result.failed(malformed(status, "HTTP " + status + " reply has no body"), null);
    }
    // Read whole: the audio's base64 is then decoded straight from these bytes (JsonBase64).
    return parseSuccess(status, body.bytes(), attemptRequestId, contentType(response));
  }

  ApiError serviceError(String code, int status, String message) {
    return ApiError.of(code, status, credentials.redact(message), policy.retryable(code, status),
        policy.stopsBatch(code, status));
  }

  private ApiError errorFromBody(int status, String text, String contentType) {
    try {
      JsonNode root = MAPPER.readTree(text);
      JsonNode error = root == null ? null : root.get("error");
      if (error != null && error.hasNonNull("code")) {
        JsonNode message = error.get("message");
        return serviceError(error.get("code").asText(), status, message == null ? "" : message.asText());
      }
    } catch (JsonProcessingException notJson) {
      // An HTML page from a gateway, or a cut-off body: reported by status below.
    }
    String code = ApiError.HTTP_PREFIX + status;
    return ApiError.of(code, status,
        "HTTP " + status + " without a service error code (" + contentType + "): " + snippet(text),
        policy.retryable(code, status), policy.stopsBatch(code, status));
  }

  Result parseSuccess(int status, byte[] body, String attemptRequestId, String contentType) throws IOException {
    AudioCut cut = AudioCut.find(body);
    if (cut != null) {
      Result result = parseSuccess(status, body, cut, attemptRequestId, contentType);
      if (result != null) {
        return result;
      }
      // The cut was not choices[0].message.audio.data after all: parse the body as it came.
    }
    return parseSuccess(status, body, null, attemptRequestId, contentType);
  }

  /** Null when {@code cut} turns out not to be the audio data, which the caller then parses uncut. */
  private Result parseSuccess(int status, byte[] body, AudioCut cut, String attemptRequestId, String contentType)
      throws IOException {
    Fields f = new Fields();
    f.body = cut == null ? body : cut.json;
    f.cut = cut;
    try (JsonParser p = JSON.createParser(f.body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return Result.failed(malformed(status, "HTTP " + status + " reply body is not a JSON object (" + contentType + ")"), null);
      }
      readTop(p, f);
      if (cut != null && !f.cutConfirmed) {
        return null;
      }
    } catch (JsonProcessingException e) {
      if (cut != null) {
        return null; // judged on the body as it came, so the message names the real fault
      }
      return Result.failed(malformed(status, "HTTP " + status + " reply body is not valid JSON (" + contentType
          + "), maybe truncated: " + credentials.redact(e.getOriginalMessage())), f.usage());
    }
    Usage usage = f.usage();
    if (f.errorCode != null) {
      return Result.failed(serviceError(f.errorCode, status, f.errorMessage), usage);
    }
    String problem = null;
    if (!f.sawChoices || f.choicesCount == 0) {
      problem = f.sawChoices ? "choices is empty" : "no choices";
    } else if (!f.sawMessage) {
      problem = "choices[0] has no message";
    } else if (!f.sawAudio) {
      problem = "choices[0].message has no audio";
    } else if (f.audioBase64Problem != null) {
      problem = "choices[0].message.audio.data is not valid base64 (" + f.audioBase64Problem + ")";
    } else if (f.audioBytes == null || f.audioBytes.length == 0) {
      problem = f.audioDataType != null
          ? "choices[0].message.audio.data is not a string but " + f.audioDataType
          : "choices[0].message.audio has no data";
    }
    byte[] audioBytes = f.audioBytes;
    if (problem == null && usage == null) {
      problem = f.usageProblem != null ? f.usageProblem : "no usage";
    }
    ReplyAudio audio = null;
    if (problem == null) {
      try {
        audio = audioDecoder.decode(audioBytes);
      } catch (AudioFormatException e) {
        problem = "choices[0].message.audio.data (" + audioBytes.length + " bytes) is not usable audio: "
            + e.getMessage();
      }
    }
    if (problem != null) {
      String finish = f.finishReason == null ? "" : " (finish_reason=" + f.finishReason + ")";
      // Billed but unusable: retrying would pay again for what is likely the same answer.
      return Result.failed(ApiError.of(ApiError.BAD_REPLY, status,
          "HTTP " + status + " reply: " + problem + finish, false, false), usage);
    }
    String requestId = f.requestId != null ? f.requestId : attemptRequestId;
    return Result.ok(new ChatReply(requestId, f.id, f.content == null ? "" : f.content, f.finishReason,
        f.audioId, f.audioExpiresAt, audio, usage));
  }

  private ApiError malformed(int status, String message) {
    return ApiError.of(ApiError.BAD_REPLY, status, message, policy.retryMalformedReplies(), false);
  }

  static String contentType(Response response) {
    String ct = response.header("Content-Type");
    return ct == null ? "no content type" : ct;
  }

  private String snippet(String text) {
    String s = text.replaceAll("\\s+", " ").trim();
    if (s.length() > SNIPPET_CHARS) {
      s = s.substring(0, SNIPPET_CHARS) + "...";
    }
    return credentials.redact(s.isEmpty() ? "(empty body)" : s);
  }

  /** The fields we care about, filled while streaming. */
  private static final class Fields {
    byte[] body;
    AudioCut cut;
    boolean cutConfirmed;
    String id;
    String requestId;
    String errorCode;
    String errorMessage;
    boolean sawChoices;
    int choicesCount;
    boolean sawMessage;
    boolean sawAudio;
    String finishReason;
    String content;
    String audioId;
    byte[] audioBytes;
    String audioBase64Problem;
    String audioDataType;
    String audioExpiresAt;
    boolean sawUsage;
    Long promptTokens;
    Long completionTokens;
    Long totalTokens;
    String usageProblem;

    Usage usage() {
      if (!sawUsage) {
        return null;
      }
      if (promptTokens == null || completionTokens == null || totalTokens == null) {
        usageProblem = "usage lacks " + (promptTokens == null ? "prompt_tokens" : completionTokens == null
            ? "completion_tokens" : "total_tokens");
        return null;
      }
      return Usage.of(promptTokens, completionTokens, totalTokens);
    }
  }

  private static void readTop(JsonParser p, Fields f) throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken t = p.nextToken();
      switch (name) {
        case "id" -> f.id = scalar(p, t);
        case "request_id" -> f.requestId = scalar(p, t);
        case "error" -> readError(p, t, f);
        case "choices" -> readChoices(p, t, f);
        case "usage" -> readUsage(p, t, f);
        default -> p.skipChildren();
      }
    }
  }

  private static void readError(JsonParser p, JsonToken t, Fields f) throws IOException {
    if (t != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken v = p.nextToken();
      switch (name) {
        case "code" -> f.errorCode = scalar(p, v);
        case "message" -> f.errorMessage = scalar(p, v);
        default -> p.skipChildren();
      }
    }
  }

  private static void readChoices(JsonParser p, JsonToken t, Fields f) throws IOException {
    if (t != JsonToken.START_ARRAY) {
      p.skipChildren();
      return;
    }
    f.sawChoices = true;
    JsonToken e;
    while ((e = p.nextToken()) != JsonToken.END_ARRAY && e != null) {
      if (f.choicesCount++ == 0 && e == JsonToken.START_OBJECT) {
        readChoice(p, f);
      } else {
        p.skipChildren();
      }
    }
  }

  private static void readChoice(JsonParser p, Fields f) throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken v = p.nextToken();
      if (name.equals("finish_reason")) {
        f.finishReason = scalar(p, v);
      } else if (name.equals("message") && v == JsonToken.START_OBJECT) {
        f.sawMessage = true;
        readMessage(p, f);
      } else {
        p.skipChildren();
      }
    }
  }

  private static void readMessage(JsonParser p, Fields f) throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken v = p.nextToken();
      if (name.equals("content")) {
        f.content = scalar(p, v);
      } else if (name.equals("audio") && v == JsonToken.START_OBJECT) {
        f.sawAudio = true;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String a = p.currentName();
          JsonToken av = p.nextToken();
          switch (a) {
            case "id" -> f.audioId = scalar(p, av);
            case "data" -> readAudioData(p, av, f);
            case "expires_at" -> f.audioExpiresAt = scalar(p, av); // number or string: both accepted
            default -> p.skipChildren();
          }
        }
      } else {
        p.skipChildren();
      }
    }
  }

  /**
   * Decodes base64 straight from the body bytes (plain base64, the usual case) or else from the parser's
   * input buffer: no multi-MB String is ever built. Invalid base64 is recorded and parsing goes on (usage
   * usually follows); a body cut off inside the string (JsonEOFException) still counts as truncation.
   */
  private static void readAudioData(JsonParser p, JsonToken t, Fields f) throws IOException {
    if (t != JsonToken.VALUE_STRING) {
      f.audioDataType = t == JsonToken.VALUE_NULL ? null : t.asString() == null ? t.name() : t.asString();
      p.skipChildren();
      return;
    }
    if (f.cut != null) {
      if (p.currentTokenLocation().getByteOffset() == f.cut.quote && p.getTextLength() == 0) {
        f.cutConfirmed = true;
        f.audioBytes = f.cut.audio;
        return;
      }
      f.cut = null; // audio.data is elsewhere: this parse is of an altered body, and will be discarded
    }
    byte[] plain = JsonBase64.decodeString(f.body, p.currentTokenLocation().getByteOffset());
    if (plain != null) {
      f.audioBytes = plain; // the parser skips the string's characters without decoding them again
      return;
    }
    try {
      f.audioBytes = p.getBinaryValue(BASE64);
    } catch (JsonEOFException truncated) {
      throw truncated;
    } catch (JsonProcessingException invalid) {
      f.audioBase64Problem = invalid.getOriginalMessage();
    }
  }

  private static void readUsage(JsonParser p, JsonToken t, Fields f) throws IOException {
    if (t != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    f.sawUsage = true;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken v = p.nextToken();
      Long n = v == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : null;
      switch (name) {
        case "prompt_tokens" -> f.promptTokens = n;
        case "completion_tokens" -> f.completionTokens = n;
        case "total_tokens" -> f.totalTokens = n;
        default -> p.skipChildren();
      }
    }
  }

  /** A scalar as text (numbers too); null for null; containers are skipped. */
  private static String scalar(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t.isScalarValue()) {
      return p.getText();
    }
    p.skipChildren();
    return null;
  }
}
