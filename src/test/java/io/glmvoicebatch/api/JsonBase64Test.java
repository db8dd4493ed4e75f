package io.glmvoicebatch.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.glmvoicebatch.audio.WavFile;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.Test;

/**
 * The reply audio's fast path (base64 decoded straight from the body bytes) and its fallback to the JSON
 * parser for everything that is not plain base64: both must yield the same audio or the same verdict.
 */
class JsonBase64Test {

  /** Where Jackson says the audio string starts, in bytes: the content before it is multi-byte UTF-8. */
  private static long dataQuote(byte[] body) throws Exception {
    try (JsonParser p = new JsonFactory().createParser(body)) {
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        if (t == JsonToken.FIELD_NAME && p.currentName().equals("data")) {
          p.nextToken();
          return p.currentTokenLocation().getByteOffset();
        }
      }
    }
    throw new AssertionError("no data field");
  }

  private static byte[] body(String data) {
    ObjectNode reply = Fixtures.reply(new byte[] {1}, true);
    ((ObjectNode) reply.get("choices").get(0).get("message").get("audio")).put("data", data);
    return reply.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void decodedLengthCountsThePaddingOfEveryCase() {
    for (int length = 1; length <= 70; length++) {
      byte[] text = ("x" + Base64.getEncoder().encodeToString(new byte[length]) + "y").getBytes(StandardCharsets.US_ASCII);
      assertEquals(length, JsonBase64.decodedLength(text, 1, text.length - 1), length + " bytes");
      assertEquals(length, JsonBase64.decodePadded(text, 1, text.length - 1).length, length + " bytes");
    }
  }

  @Test
  void decodesEveryPaddingCaseFromTheRawBody() throws Exception {
    for (int length = 1; length <= 70; length++) {
      byte[] audio = new byte[length];
      for (int i = 0; i < length; i++) {
        audio[i] = (byte) (i * 37 + length);
      }
      byte[] padded = body(Base64.getEncoder().encodeToString(audio));
      assertArrayEquals(audio, JsonBase64.decodeString(padded, dataQuote(padded)), "padded, " + length + " bytes");
      byte[] unpadded = body(Base64.getEncoder().withoutPadding().encodeToString(audio));
      assertArrayEquals(audio, JsonBase64.decodeString(unpadded, dataQuote(unpadded)), "unpadded, " + length + " bytes");
    }
  }

  @Test
  void leavesEverythingButPlainBase64ToTheParser() throws Exception {
    byte[] audio = Fixtures.rawPcm(3000);
    String plain = Base64.getEncoder().encodeToString(audio);
    assertNotNull(JsonBase64.decodeString(body(plain), dataQuote(body(plain))));
    String wrapped = Base64.getMimeEncoder().encodeToString(audio); // CR LF every 76 characters
    assertNull(JsonBase64.decodeString(body(wrapped), dataQuote(body(wrapped))), "line breaks");
    String junk = plain.substring(0, 100) + "*&^%" + plain.substring(104);
    assertNull(JsonBase64.decodeString(body(junk), dataQuote(body(junk))), "foreign characters");
    String afterPadding = Base64.getEncoder().encodeToString(new byte[] {1}) + "AAAA";
    assertNull(JsonBase64.decodeString(body(afterPadding), dataQuote(body(afterPadding))), "data after padding");
    // A JSON encoder may write '/' as "\/": the first '"' found is then still the real end, but the
    // backslashes before it make the strict decoder refuse, so the parser unescapes and decodes.
    byte[] escaped = new String(body(plain), StandardCharsets.UTF_8).replace("/", "\\/").getBytes(StandardCharsets.UTF_8);
    assertTrue(new String(escaped, StandardCharsets.UTF_8).contains("\\/"));
    assertNull(JsonBase64.decodeString(escaped, dataQuote(escaped)), "escapes");
    byte[] cut = Arrays.copyOf(body(plain), dataQuote(body(plain)) > 0 ? (int) dataQuote(body(plain)) + 500 : 0);
    assertNull(JsonBase64.decodeString(cut, dataQuote(body(plain))), "string not closed within the body");
    assertNull(JsonBase64.decodeString(body(plain), dataQuote(body(plain)) + 1), "not at a quote");
    assertNull(JsonBase64.decodeString(body(plain), -1), "no location");
  }

  @Test
  void tableDecoderAgreesWithTheJdkOrDefersToIt() {
    java.util.Random random = new java.util.Random(20261126);
    byte[] junk = "=-_ \\\n\"%*A/+".getBytes(StandardCharsets.US_ASCII);
    for (int n = 0; n < 400; n++) {
      byte[] raw = new byte[random.nextInt(64)];
      random.nextBytes(raw);
      byte[] b64 = Base64.getEncoder().encode(raw);
      if (n % 3 == 1 && b64.length > 0) {
        b64[random.nextInt(b64.length)] = junk[random.nextInt(junk.length)]; // maybe no longer base64
      }
      byte[] fast = JsonBase64.decodePadded(b64, 0, b64.length);
      byte[] jdk;
      try {
        jdk = Base64.getDecoder().decode(b64);
      } catch (IllegalArgumentException e) {
        jdk = null;
      }
      if (fast != null) {
        assertArrayEquals(jdk, fast, "decoded differently from the JDK: " + new String(b64, StandardCharsets.US_ASCII));
      }
      if (n % 3 != 1 && raw.length > 0) {
        assertNotNull(fast, "plain padded base64 takes the fast path");
      }
    }
  }

  @Test
  void quoteSearchFindsTheFirstQuoteAtEveryAlignment() {
    for (int at = 0; at < 40; at++) {
      byte[] b = new byte[48];
      Arrays.fill(b, (byte) 'A');
      b[at] = '"';
      if (at + 3 < b.length) {
        b[at + 3] = '"';
      }
      assertEquals(at, JsonBase64.closingQuote(b, 0), "quote at " + at);
      assertEquals(at + 3 < b.length ? at + 3 : -1, JsonBase64.closingQuote(b, at + 1));
    }
    assertEquals(-1, JsonBase64.closingQuote(new byte[] {'A', 'B'}, 0));
  }

  /** Over real HTTP: the fallback forms give the same WAV as the plain form; a cut-off body is retried. */
  @Test
  void fallbackFormsDecodeLikePlainOverLoopback() throws Exception {
    byte[] pcm = Fixtures.rawPcm(44_101); // odd byte count / 3: padding in play
    ObjectNode plain = Fixtures.reply(pcm, true);
    ObjectNode wrapped = Fixtures.reply(pcm, true);
    ((ObjectNode) wrapped.get("choices").get(0).get("message").get("audio"))
        .put("data", Base64.getMimeEncoder().encodeToString(pcm));
    String escaped = plain.toString().replace("/", "\\/");
    String full = plain.toString();
    try (MockWebServer server = new MockWebServer()) {
      server.start();
      server.enqueue(Fixtures.ok(plain));
      server.enqueue(Fixtures.ok(wrapped));
      server.enqueue(new MockResponse().setHeader("Content-Type", "application/json").setBody(escaped));
      server.enqueue(new MockResponse().setHeader("Content-Type", "application/json")
          .setBody(full.substring(0, full.indexOf("\"data\"") + 5000))); // cut inside the audio
      server.enqueue(Fixtures.ok(plain));
      try (GlmVoiceClient client = GlmVoiceClient.create(Fixtures.settings(server).build())) {
        byte[] expected = WavFile.pcm16(pcm, 44_100, 1);
        for (int i = 0; i < 3; i++) {
          CallOutcome outcome = client.submit(Fixtures.request("item-b64-" + i)).get(20, TimeUnit.SECONDS);
          assertTrue(outcome.ok(), outcome.toString());
          assertArrayEquals(expected, outcome.reply().audio().wavBytes(), "reply " + i);
        }
        CallOutcome cut = client.submit(Fixtures.request("item-b64-cut")).get(20, TimeUnit.SECONDS);
        assertTrue(cut.uncertain(), cut.toString());
        assertEquals(1, cut.attempts(), "a truncated 200 may have been billed: uncertain, not retried");
        assertTrue(cut.error().message().contains("maybe truncated"), "cut inside the audio is truncation, not bad "
            + "base64: " + cut.error().message());
      }
    }
  }
}
