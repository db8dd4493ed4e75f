package io.glmvoicebatch.simulator;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.UTF8StreamJsonParser;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * An input_audio.data string that is plain padded base64 (no escapes, no line breaks), checked in place
 * in the request body and decoded only as far as it is read. The JSON parser then skips the string
 * instead of building a 430 KB String of it, and a WAV's duration needs only its header decoded.
 * Anything else in that field goes the old way: a String from the parser, judged by RequestValidator.
 */
final class ScreenedAudio {
  /** Decoded bytes handed out up front: more than javax.sound reads of a usual WAV's header (a read past them decodes all). */
  private static final int HEAD_BYTES = 1024;

  private final byte[] body;
  private final int from;
  private final int end;
  private byte[] head; // the first HEAD_BYTES decoded, shared by the streams of one validation

  private ScreenedAudio(byte[] body, int from, int end) {
    this.body = body;
    this.from = from;
    this.end = end;
  }

  int decodedLength() {
    return StrictBase64.decodedLength(body, from, end);
  }

  byte[] decode() {
    return StrictBase64.decode(body, from, end);
  }

  /** The decoded bytes as a stream that decodes the rest only if something reads past the head. */
  ByteArrayInputStream open() {
    int headQuads = HEAD_BYTES / 3;
    if (end - from <= 4 * headQuads) {
      return new ByteArrayInputStream(decode());
    }
    if (head == null) {
      head = StrictBase64.decode(body, from, from + 4 * headQuads);
    }
    return new LazyStream(head, decodedLength());
  }

  /** A ByteArrayInputStream whose buffer holds only the head until a read goes past it. */
  private final class LazyStream extends ByteArrayInputStream {
    LazyStream(byte[] head, int length) {
      super(head);
      this.count = length; // skip, available, mark and reset only move or measure pos
    }

    private void need(int upTo) {
      if (upTo > buf.length) {
        buf = decode();
      }
    }

    @Override
    public synchronized int read() {
      need(Math.min(pos + 1, count));
      return super.read();
    }

    @Override
    public synchronized int read(byte[] b, int off, int len) {
      need(pos + Math.max(0, Math.min(len, count - pos)));
      return super.read(b, off, len);
    }

    @Override
    public synchronized byte[] readAllBytes() {
      need(count);
      return super.readAllBytes();
    }

    @Override
    public synchronized long transferTo(OutputStream out) throws IOException {
      need(count);
      return super.transferTo(out);
    }
  }

  /**
   * Parses the body for Jackson's tree builder, standing in a placeholder String for each screenable
   * messages[].content[].input_audio.data; {@link #swapIn} then puts the ScreenedAudio in its place.
   * The parser still reads every byte of the string (skipping it), so the JSON is judged as before.
   */
  static final class Parser extends JsonParserDelegate {
    private final byte[] body;
    private final boolean byteOffsets;
    private final int maxStringLength;
    private final Map<String, ScreenedAudio> standIns = new IdentityHashMap<>();

    Parser(JsonParser p, byte[] body) {
      super(p);
      this.body = body;
      this.byteOffsets = p instanceof UTF8StreamJsonParser; // UTF-16/32 bodies: offsets are not indexes
      this.maxStringLength = p.streamReadConstraints().getMaxStringLength();
    }

    @Override
    public String getText() throws IOException {
      if (byteOffsets && hasToken(JsonToken.VALUE_STRING) && atInputAudioData(getParsingContext())) {
        long quote = delegate.currentTokenLocation().getByteOffset();
        if (quote >= 0 && quote < body.length && body[(int) quote] == '"') {
          int from = (int) quote + 1;
          int end = StrictBase64.closingQuote(body, from);
          // Over the limit the parser's own reading fails the body: leave that to it.
          if (end >= 0 && end - from <= maxStringLength) {
            String standIn = new String(new char[] {'?'}); // a fresh instance: matched by identity
            standIns.put(standIn, new ScreenedAudio(body, from, end));
            return standIn;
          }
        }
      }
      return super.getText();
    }

    private static boolean atInputAudioData(JsonStreamContext c) {
      return named(c, "data")
          && named(c = c.getParent(), "input_audio")
          && (c = c.getParent()).inArray()
          && named(c = c.getParent(), "content")
          && (c = c.getParent()).inArray()
          && named(c = c.getParent(), "messages")
          && c.getParent() != null
          && c.getParent().inRoot();
    }

    private static boolean named(JsonStreamContext c, String name) {
      return c != null && c.inObject() && name.equals(c.getCurrentName());
    }

    /** Replaces each stand-in in the tree (all sit where atInputAudioData looks) with its audio. */
    void swapIn(JsonNode root) {
      if (standIns.isEmpty()) {
        return;
      }
      for (JsonNode message : root.path("messages")) {
        for (JsonNode part : message.path("content")) {
          JsonNode audio = part.path("input_audio");
          JsonNode data = audio.path("data");
          ScreenedAudio screened = data.isTextual() ? standIns.get(data.textValue()) : null;
          if (screened != null) {
            ((ObjectNode) audio).set("data", new POJONode(screened));
          }
        }
      }
    }
  }

  /** The audio screened in place by {@link Parser}, or null if this data node is an ordinary value. */
  static ScreenedAudio of(JsonNode data) {
    return data instanceof POJONode p && p.getPojo() instanceof ScreenedAudio a ? a : null;
  }
}
