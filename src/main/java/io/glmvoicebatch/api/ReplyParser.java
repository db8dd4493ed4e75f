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
 *
 * <p>A 2xx reply the service may have billed but that gives no usable result (not JSON, no audio,
 * unusable audio, missing or ill-typed usage) is an {@linkplain ApiError#uncertain() uncertain} error,
 * never retried here: a retry would pay again. Usage token counts must be JSON integers from 0 up: a
 * string ("447"), a fraction or a negative count is not read as a number, since the cost is computed
 * from it.
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
      // Billed (or maybe billed) but unusable: retrying would pay again for what is likely the same answer.
      return Result.failed(ApiError.uncertain(ApiError.BAD_REPLY, status,
          "HTTP " + status + " reply: " + problem + finish), usage);
    }
    String requestId = f.requestId != null ? f.requestId : attemptRequestId;
    return Result.ok(new ChatReply(requestId, f.id, f.content == null ? "" : f.content, f.finishReason,
        f.audioId, f.audioExpiresAt, audio, usage));
  }

  private static ApiError malformed(int status, String message) {
    return ApiError.uncertain(ApiError.BAD_REPLY, status, message);
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
      if (!sawUsage || usageProblem != null) {
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
    long quote = p.currentTokenLocation().getByteOffset();
    byte[] plain = JsonBase64.decodeString(f.body, quote);
    if (plain != null) {
      f.audioBytes = plain; // the parser skips the string's characters without decoding them again
      return;
    }
    String problem = base64Problem(f.body, quote);
    if (problem != null) {
      // Named here: Jackson's decoder would consume the closing quote on some of these and leave the
      // parser unable to go on, so the reply would wrongly read as truncated JSON.
      f.audioBase64Problem = problem;
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

  /**
   * Why the plain JSON string at {@code body[quote]} is not base64, or null when it is not plain (it has
   * escapes, which only the JSON parser can judge) or does not end within the body (truncation).
   */
  static String base64Problem(byte[] body, long quote) {
    if (quote < 0 || quote >= body.length || body[(int) quote] != '"') {
      return null;
    }
    int from = (int) quote + 1;
    int end = JsonBase64.closingQuote(body, from);
    if (end < 0) {
      return null;
    }
    int padding = 0;
    for (int i = from; i < end; i++) {
      int c = body[i] & 0xff;
      if (c == '\\') {
        return null;
      }
      boolean alphabet = c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/';
      if (c == '=' && end - i <= 2) {
        padding++;
      } else if (!alphabet || padding > 0) {
        return String.format(java.util.Locale.ROOT, "character %s at position %d of %d is not base64",
            c >= 0x20 && c < 0x7f ? "'" + (char) c + "'" : String.format("0x%02x", c), i - from, end - from);
      }
    }
    int length = end - from;
    if (length % 4 != 0) {
      return "its length " + length + " is not a multiple of 4" + (length % 4 == 1 ? " (one character too many or "
          + "three too few: cut or corrupted)" : padding > 0 ? " with padding" : "");
    }
    return length == 0 ? "it is empty" : "malformed padding";
  }

  private static void readUsage(JsonParser p, JsonToken t, Fields f) throws IOException {
    if (t != JsonToken.START_OBJECT) {
      if (f.usageProblem == null) {
        f.usageProblem = "usage is " + kind(p, t) + ", not an object";
      }
      f.sawUsage = true;
      p.skipChildren();
      return;
    }
    f.sawUsage = true;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken v = p.nextToken();
      if (!name.equals("prompt_tokens") && !name.equals("completion_tokens") && !name.equals("total_tokens")) {
        p.skipChildren();
        continue;
      }
      Long n = null;
      String bad = null;
      if (v != JsonToken.VALUE_NUMBER_INT) {
        bad = kind(p, v);
      } else if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
        bad = "out of range (" + p.getText() + ")";
      } else if (p.getLongValue() < 0) {
        bad = "negative (" + p.getLongValue() + ")";
      } else {
        n = p.getLongValue();
      }
      p.skipChildren();
      if (bad != null && f.usageProblem == null) {
        // Never coerced: the cost is computed from these counts.
        f.usageProblem = "usage." + name + " is " + bad + ", not a whole number of tokens";
      }
      switch (name) {
        case "prompt_tokens" -> f.promptTokens = n;
        case "completion_tokens" -> f.completionTokens = n;
        default -> f.totalTokens = n;
      }
    }
  }

  /** What a JSON value is, for messages: a string ("12"), a fraction (12.5), null, an object... */
  private static String kind(JsonParser p, JsonToken t) throws IOException {
    return switch (t) {
      case VALUE_STRING -> "a string (\"" + (p.getTextLength() > 20 ? p.getText().substring(0, 20) + "..." : p.getText())
          + "\")";
      case VALUE_NUMBER_FLOAT -> "a fraction (" + p.getText() + ")";
      case VALUE_NUMBER_INT -> "a number (" + p.getText() + ")";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      default -> String.valueOf(t);
    };
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
