package io.glmvoicebatch.simulator;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * One generated reply, rendered in the documented response shape (or as stream chunks). A
 * malformed-success fault kind bends the shape the way it says.
 */
final class ChatCompletion {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /** Seconds of reply audio per stream chunk [I: chunking is not documented]. */
  private static final double STREAM_AUDIO_SECONDS = 1.0;

  private final String id;
  private final long created;
  private final String model;
  private final String requestId;
  private final ReplyPlan plan;
  private final SpeechSlice speech;
  private final ReplyAudioForm form;
  private final String audioId;
  private final long promptTokens;

  ChatCompletion(
      String id,
      long created,
      String model,
      String requestId,
      ReplyPlan plan,
      SpeechSlice speech,
      ReplyAudioForm form,
      String audioId,
      long promptTokens) {
    this.id = id;
    this.created = created;
    this.model = model;
    this.requestId = requestId;
    this.plan = plan;
    this.speech = speech;
    this.form = form;
    this.audioId = audioId;
    this.promptTokens = promptTokens;
  }

  long promptTokens() {
    return promptTokens;
  }

  long completionTokens() {
    return plan.completionTokens();
  }

  String audioId() {
    return audioId;
  }

  ReplyPlan plan() {
    return plan;
  }

  /** The non-streaming body; {@code malformation} is null or a malformed-success fault. */
  ObjectNode toJson(FaultKind malformation) {
    ObjectNode root = NODES.objectNode();
    root.put("id", id);
    root.put("object", "chat.completion");
    root.put("created", created);
    root.put("model", model);
    root.put("request_id", requestId);
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0);
    choice.put("finish_reason", plan.finishReason());
    ObjectNode message = choice.putObject("message");
    message.put("role", "assistant");
    message.put("content", plan.text());
    if (malformation != FaultKind.NO_AUDIO) {
      message.set("audio", audio(speech, malformation));
    }
    if (malformation != FaultKind.MISSING_USAGE) {
      root.set("usage", usage());
    }
    return root;
  }

  /** SSE chunks: text first, then audio in ~1 s pieces, then finish_reason and usage. */
  List<ObjectNode> toStreamChunks(FaultKind malformation) {
    List<ObjectNode> chunks = new ArrayList<>();
    ObjectNode first = chunk();
    ObjectNode delta = first.withArray("choices").addObject().put("index", 0).putObject("delta");
    delta.put("role", "assistant").put("content", plan.text());
    chunks.add(first);
    if (malformation != FaultKind.NO_AUDIO) {
      int step = (int) Math.max(1, Math.round(plan.sampleRate() * STREAM_AUDIO_SECONDS));
      for (int from = 0; from < speech.frames(); from += step) {
        SpeechSlice piece = speech.piece(from, Math.min(speech.frames(), from + step));
        ObjectNode c = chunk();
        ObjectNode d = c.withArray("choices").addObject().put("index", 0).putObject("delta");
        d.put("role", "assistant");
        d.set("audio", audio(piece, malformation)); // each piece self-contained [I]
        chunks.add(c);
      }
    }
    ObjectNode last = chunk();
    ObjectNode lastChoice = last.withArray("choices").addObject().put("index", 0);
    lastChoice.put("finish_reason", plan.finishReason());
    lastChoice.putObject("delta").put("role", "assistant").put("content", "");
    if (malformation != FaultKind.MISSING_USAGE) {
      last.set("usage", usage());
    }
    chunks.add(last);
    return chunks;
  }

  private ObjectNode chunk() {
    ObjectNode c = NODES.objectNode();
    c.put("id", id);
    c.put("created", created);
    c.put("model", model);
    return c;
  }

  private ObjectNode audio(SpeechSlice slice, FaultKind malformation) {
    ObjectNode audio = NODES.objectNode();
    audio.put("id", audioId);
    if (malformation == FaultKind.BAD_BASE64) {
      // Foreign characters in the middle (a strict decoder fails) and, padding removed, a count of
      // alphabet characters that is 1 mod 4 (even a lenient MIME decoder fails).
      String bare = Base64.getEncoder().encodeToString(slice.bytes(form)).replace("=", "");
      bare += "A".repeat((5 - bare.length() % 4) % 4);
      audio.put("data", bare.substring(0, bare.length() / 2) + "%%*" + bare.substring(bare.length() / 2));
    } else {
      // Written as ready bytes: base64 needs no JSON escaping, and Jackson's per-character pass over a
      // 1 MB String was the simulator's largest cost per reply. Mostly copied from the bank's base64.
      audio.putRawValue("data", new RawValue(slice.quotedBase64(form)));
    }
    audio.put("expires_at", created + 3600); // [I] the doc example shows an integer; the value is ours
    return audio;
  }

  private ObjectNode usage() {
    ObjectNode usage = NODES.objectNode();
    usage.put("prompt_tokens", promptTokens);
    usage.put("completion_tokens", plan.completionTokens());
    usage.put("total_tokens", promptTokens + plan.completionTokens());
    return usage;
  }
}
