package io.glmvoicebatch.simulator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;
import javax.sound.sampled.UnsupportedAudioFileException;

/**
 * Checks a chat-completions body against the documented glm-4-voice limits and computes its
 * prompt tokens.
 *
 * <p>Code choice (the docs give codes, not which check maps to which): 1210 = body or field of the
 * wrong JSON type, 1213 = required field missing, 1214 = value outside its documented domain
 * (including undecodable audio and audio over 10 minutes), 1211 = unknown model, 1261 = prompt
 * tokens + max_tokens over the 8K context window.
 */
final class RequestValidator {
  static final int CONTEXT_WINDOW_TOKENS = 8192;
  static final int MAX_OUTPUT_TOKENS = 4096;
  static final int DEFAULT_MAX_TOKENS = 1024;
  /** Documented input limit: at most 10 minutes of audio per request. */
  static final double MAX_AUDIO_SECONDS = 600.0;

  private static final Set<String> ROLES = Set.of("system", "user", "assistant");
  /**
   * Jackson's default 20,000,000-character string limit would refuse any audio over about 468 s of 16 kHz
   * 16-bit audio: the service documents 10 minutes and no byte limit, so a string may be as long as the body.
   */
  private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
          .build())
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final String model;
  private final ToLongFunction<String> earlierReplyAudioTokens;

  /**
   * @param earlierReplyAudioTokens tokens of a reply audio id this simulator issued (0 if unknown):
   *     an assistant turn referencing it is part of the prompt
   */
  RequestValidator(String model, ToLongFunction<String> earlierReplyAudioTokens) {
    this.model = model;
    this.earlierReplyAudioTokens = earlierReplyAudioTokens;
  }

  /**
   * Parses the body as a JSON object; 1210 if it is not one. Plain padded base64 audio is checked in
   * place rather than copied into a String (see {@link ScreenedAudio}).
   */
  static JsonNode parse(byte[] body) throws ServiceErrorException {
    try (ScreenedAudio.Parser p = new ScreenedAudio.Parser(JSON.createParser(body), body)) {
      JsonNode node = JSON.readTree(p);
      if (node == null || !node.isObject()) {
        throw ServiceErrorException.badParameter("请求体必须是JSON对象 (body must be a JSON object)");
      }
      p.swapIn(node);
      return node;
    } catch (JsonProcessingException e) {
      throw ServiceErrorException.badParameter("请求体不是合法的JSON (body is not valid JSON)");
    } catch (IOException e) {
      throw ServiceErrorException.badParameter("请求体无法读取");
    }
  }

  ChatRequest validate(JsonNode body) throws ServiceErrorException {
    JsonNode modelNode = body.get("model");
    if (modelNode == null || modelNode.isNull()) {
      throw ServiceErrorException.missingParameter("model");
    }
    if (!modelNode.isTextual()) {
      throw ServiceErrorException.badParameter("model must be a string");
    }
    if (!model.equals(modelNode.asText())) {
      throw ServiceErrorException.modelNotFound(modelNode.asText());
    }

    boolean stream = optionalBoolean(body, "stream", false);
    optionalBoolean(body, "do_sample", true);
    optionalRange(body, "temperature", 0.0, 1.0);
    optionalRange(body, "top_p", 0.01, 1.0);
    int maxTokens = optionalMaxTokens(body);
    String requestId = optionalLengthBounded(body, "request_id", 6, 64);
    String userId = optionalLengthBounded(body, "user_id", 6, 128);
    String stop = optionalStop(body);

    JsonNode messages = body.get("messages");
    if (messages == null || messages.isNull()) {
      throw ServiceErrorException.missingParameter("messages");
    }
    if (!messages.isArray()) {
      throw ServiceErrorException.badParameter("messages must be an array");
    }
    if (messages.isEmpty()) {
      throw ServiceErrorException.invalidParameter("messages", "messages不能为空 (must not be empty)");
    }
    List<String> texts = new ArrayList<>();
    List<ClipDuration> clips = new ArrayList<>();
    long referencedAudioTokens = 0;
    boolean sawUser = false;
    for (int i = 0; i < messages.size(); i++) {
      JsonNode message = messages.get(i);
      String where = "messages[" + i + "]";
      if (!message.isObject()) {
        throw ServiceErrorException.badParameter(where + " must be an object");
      }
      JsonNode roleNode = message.get("role");
      if (roleNode == null || roleNode.isNull()) {
        throw ServiceErrorException.missingParameter(where + ".role");
      }
      String role = roleNode.asText();
      if (!roleNode.isTextual() || !ROLES.contains(role)) {
        throw ServiceErrorException.invalidParameter(
            where + ".role", "role must be system, user or assistant, got " + roleNode);
      }
      JsonNode content = message.get("content");
      switch (role) {
        case "system" -> texts.add(requireText(content, where + ".content"));
        case "assistant" -> {
          JsonNode audio = message.get("audio");
          if ((content == null || content.isNull()) && (audio == null || audio.isNull())) {
            throw ServiceErrorException.missingParameter(where + ".content");
          }
          if (content != null && !content.isNull()) {
            texts.add(requireText(content, where + ".content"));
          }
          if (audio != null && !audio.isNull()) {
            JsonNode id = audio.get("id");
            if (audio.isObject() && id != null && id.isTextual() && !id.asText().isEmpty()) {
              referencedAudioTokens += earlierReplyAudioTokens.applyAsLong(id.asText());
            } else {
              throw ServiceErrorException.invalidParameter(where + ".audio", "audio must be {\"id\":\"...\"}");
            }
          }
        }
        default -> {
          sawUser = true;
          userContent(content, where + ".content", texts, clips);
        }
      }
    }
    if (!sawUser) {
      throw ServiceErrorException.invalidParameter(
          "messages", "不能只包含system或assistant消息 (needs at least one user message)");
    }

    double audioSeconds = clips.stream().mapToDouble(ClipDuration::seconds).sum();
    if (audioSeconds > MAX_AUDIO_SECONDS) {
      throw ServiceErrorException.invalidParameter(
          "input_audio", String.format("音频时长超过10分钟 (%.1f s > 600 s)", audioSeconds));
    }
    String promptText = String.join("\n", texts);
    long promptTokens =
        clips.stream().mapToLong(ClipDuration::tokens).sum()
            + ServiceTokens.text(promptText)
            + referencedAudioTokens;
    if (promptTokens + maxTokens > CONTEXT_WINDOW_TOKENS) {
      throw ServiceErrorException.promptTooLong(promptTokens, maxTokens, CONTEXT_WINDOW_TOKENS);
    }
    return new ChatRequest(
        model, stream, maxTokens, requestId, userId, stop, promptText, List.copyOf(clips), promptTokens);
  }

  private static void userContent(
      JsonNode content, String where, List<String> texts, List<ClipDuration> clips)
      throws ServiceErrorException {
    if (content == null || content.isNull()) {
      throw ServiceErrorException.missingParameter(where);
    }
    if (content.isTextual()) {
      texts.add(content.asText());
      return;
    }
    if (!content.isArray()) {
      throw ServiceErrorException.badParameter(where + " must be a string or an array of parts");
    }
    if (content.isEmpty()) {
      throw ServiceErrorException.invalidParameter(where, "content不能为空 (must not be empty)");
    }
    for (int p = 0; p < content.size(); p++) {
      JsonNode part = content.get(p);
      String partWhere = where + "[" + p + "]";
      if (!part.isObject()) {
        throw ServiceErrorException.badParameter(partWhere + " must be an object");
      }
      JsonNode type = part.get("type");
      if (type == null || type.isNull()) {
        throw ServiceErrorException.missingParameter(partWhere + ".type");
      }
      switch (type.asText()) {
        case "text" -> texts.add(requireText(part.get("text"), partWhere + ".text"));
        case "input_audio" -> clips.add(inputAudio(part.get("input_audio"), partWhere + ".input_audio"));
        default -> throw ServiceErrorException.invalidParameter(
            partWhere + ".type", "type must be text or input_audio, got " + type);
      }
    }
  }

  private static ClipDuration inputAudio(JsonNode audio, String where) throws ServiceErrorException {
    if (audio == null || audio.isNull()) {
      throw ServiceErrorException.missingParameter(where);
    }
    if (!audio.isObject()) {
      throw ServiceErrorException.badParameter(where + " must be an object");
    }
    JsonNode dataNode = audio.get("data");
    ScreenedAudio screened = ScreenedAudio.of(dataNode); // already known to be strict padded base64
    String data = screened != null ? null : requireText(dataNode, where + ".data");
    String format = requireText(audio.get("format"), where + ".format");
    byte[] bytes = screened != null ? null : decodeBase64(data, where);
    ClipDuration clip;
    switch (format) {
      case "wav" -> {
        try {
          clip = screened != null ? WavProbe.probe(screened::open) : WavProbe.probe(() -> new ByteArrayInputStream(bytes));
        } catch (UnsupportedAudioFileException | IOException e) {
          throw ServiceErrorException.invalidParameter(where + ".data", "无法解析WAV音频 (" + e.getMessage() + ")");
        }
      }
      case "mp3" -> {
        try {
          clip = Mp3Probe.probe(screened != null ? screened.decode() : bytes);
        } catch (IllegalArgumentException e) {
          throw ServiceErrorException.invalidParameter(where + ".data", "无法解析MP3音频 (" + e.getMessage() + ")");
        }
      }
      default -> throw ServiceErrorException.invalidParameter(
          where + ".format", "format must be wav or mp3, got " + format);
    }
    if (clip.frames() == 0) {
      throw ServiceErrorException.invalidParameter(where + ".data", "音频为空 (no audio frames)");
    }
    return clip;
  }

  /** Audio data the parser left as a String (escapes, line breaks, junk...); 1214 unless it is base64 audio. */
  private static byte[] decodeBase64(String data, String where) throws ServiceErrorException {
    byte[] bytes;
    try {
      bytes = StrictBase64.decodeOrNull(data); // the common case, in one pass
      if (bytes == null) {
        bytes = Base64.getMimeDecoder().decode(data); // MIME: tolerates line breaks, rejects junk below
        if (!data.isEmpty() && !looksLikeBase64(data)) {
          throw new IllegalArgumentException("illegal characters");
        }
      }
    } catch (IllegalArgumentException e) {
      throw ServiceErrorException.invalidParameter(where + ".data", "不是合法的base64 (" + e.getMessage() + ")");
    }
    if (bytes.length == 0) {
      throw ServiceErrorException.invalidParameter(where + ".data", "音频为空 (empty audio)");
    }
    return bytes;
  }

  private static boolean looksLikeBase64(String s) {
    int padding = 0;
    int significant = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\r' || c == '\n') {
        continue;
      }
      if (c == '=') {
        padding++;
        continue;
      }
      boolean alphabet =
          (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
      if (!alphabet || padding > 0) {
        return false; // foreign character, or data after padding
      }
      significant++;
    }
    return padding <= 2 && (significant + padding) % 4 == 0;
  }

  private static String requireText(JsonNode node, String where) throws ServiceErrorException {
    if (node == null || node.isNull()) {
      throw ServiceErrorException.missingParameter(where);
    }
    if (!node.isTextual()) {
      throw ServiceErrorException.badParameter(where + " must be a string");
    }
    return node.asText();
  }

  /** {@code body.name}, or null when absent or JSON null; a value of another JSON type is a bad parameter. */
  private static JsonNode optional(JsonNode body, String name, Predicate<JsonNode> ofType, String type)
      throws ServiceErrorException {
    JsonNode n = body.get(name);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!ofType.test(n)) {
      throw ServiceErrorException.badParameter(name + " must be " + type);
    }
    return n;
  }

  private static boolean optionalBoolean(JsonNode body, String name, boolean dflt)
      throws ServiceErrorException {
    JsonNode n = optional(body, name, JsonNode::isBoolean, "a boolean");
    return n == null ? dflt : n.asBoolean();
  }

  private static void optionalRange(JsonNode body, String name, double min, double max)
      throws ServiceErrorException {
    JsonNode n = optional(body, name, JsonNode::isNumber, "a number");
    if (n != null && !(n.asDouble() >= min && n.asDouble() <= max)) {
      throw ServiceErrorException.invalidParameter(
          name, name + " must be in [" + min + ", " + max + "], got " + n.asDouble());
    }
  }

  private static int optionalMaxTokens(JsonNode body) throws ServiceErrorException {
    JsonNode n = optional(body, "max_tokens", JsonNode::isIntegralNumber, "an integer");
    if (n == null) {
      return DEFAULT_MAX_TOKENS;
    }
    long v = n.asLong();
    if (v < 1 || v > MAX_OUTPUT_TOKENS || !n.canConvertToInt()) {
      throw ServiceErrorException.invalidParameter("max_tokens", "max_tokens must be in [1, 4096], got " + n);
    }
    return (int) v;
  }

  private static String optionalLengthBounded(JsonNode body, String name, int min, int max)
      throws ServiceErrorException {
    JsonNode n = optional(body, name, JsonNode::isTextual, "a string");
    if (n == null) {
      return null;
    }
    String s = n.asText();
    int length = s.codePointCount(0, s.length());
    if (length < min || length > max) {
      throw ServiceErrorException.invalidParameter(
          name, name + " length must be " + min + ".." + max + ", got " + length);
    }
    return s;
  }

  private static String optionalStop(JsonNode body) throws ServiceErrorException {
    JsonNode n = optional(body, "stop", JsonNode::isArray, "an array of strings");
    if (n == null) {
      return null;
    }
    if (n.size() > 1) {
      throw ServiceErrorException.invalidParameter("stop", "only one stop word is supported, got " + n.size());
    }
    if (n.isEmpty()) {
      return null;
    }
    JsonNode word = n.get(0);
    if (!word.isTextual() || word.asText().isEmpty()) {
      throw ServiceErrorException.invalidParameter("stop", "stop words must be non-empty strings");
    }
    return word.asText();
  }
}
