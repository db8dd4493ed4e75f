package io.glmvoicebatch.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Input audio checked in place in the body bytes (ScreenedAudio) must accept exactly the base64 the
 * JDK's strict decoder accepts, and reject the rest with the same 1214 as the String path.
 */
class Base64ScreeningTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final RequestValidator VALIDATOR = new RequestValidator("glm-4-voice", id -> 0);
  private static final byte[] WAV = TestAudio.wavSeconds(0.5, 16_000);

  /** WAVs whose base64 ends in no, one and two '='. */
  private static final List<byte[]> WAVS =
      List.of(WAV, Arrays.copyOf(WAV, WAV.length + 2), Arrays.copyOf(WAV, WAV.length + 1));

  private static final String[] FOREIGN = {"!", "=", "-", "_", " ", "*", ",", ".", ":", "@", "[", "`", "{",
      "\u007f", "\u0080", "é", "中", "\"", "\\", "\n"};

  static byte[] body(String data) throws Exception {
    ObjectNode body = JSON.createObjectNode().put("model", "glm-4-voice");
    ObjectNode part = body.putArray("messages").addObject().put("role", "user").putArray("content").addObject();
    part.put("type", "input_audio").putObject("input_audio").put("data", data).put("format", "wav");
    return JSON.writeValueAsBytes(body);
  }

  /** "ok <tokens>", "base64" for the 1214 of undecodable data, or "<code> <message>" for anything else. */
  static String verdict(byte[] body) {
    try {
      return "ok " + VALIDATOR.validate(RequestValidator.parse(body)).promptTokens();
    } catch (ServiceErrorException e) {
      return e.code().equals("1214") && e.getMessage().contains("不是合法的base64") ? "base64" : e.code() + " " + e.getMessage();
    }
  }

  /**
   * What the simulator did before: strict-decodable data is audio, and so is data with line breaks the
   * MIME decoder takes that is strict-decodable without them; nothing else is.
   */
  static String expected(String data) throws Exception {
    byte[] decoded;
    try {
      if (data.contains("\n") || data.contains("\r")) {
        Base64.getMimeDecoder().decode(data);
        data = data.replace("\n", "").replace("\r", "");
      }
      decoded = Base64.getDecoder().decode(data.getBytes(StandardCharsets.ISO_8859_1));
    } catch (IllegalArgumentException notBase64) {
      return "base64";
    }
    if (data.length() % 4 != 0) {
      return "base64"; // unpadded
    }
    // The same bytes, as base64 the old String path takes (escaped slashes keep it off the new path).
    return verdict(escapedSlashes(decoded));
  }

  private static byte[] escapedSlashes(byte[] decoded) throws Exception {
    String b64 = Base64.getEncoder().encodeToString(decoded);
    String json = new String(body("@@"), StandardCharsets.UTF_8).replace("@@", b64.replace("/", "\\/"));
    return json.getBytes(StandardCharsets.UTF_8);
  }

  private static List<Integer> positions(String s) {
    List<Integer> at = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      at.add(i);
      at.add(s.length() / 2 - 10 + i);
      at.add(s.length() - 20 + i);
    }
    return at;
  }

  @Test
  void acceptsAndRejectsWhatTheStrictDecoderDoes() throws Exception {
    int rejected = 0;
    for (byte[] wav : WAVS) {
      String good = Base64.getEncoder().encodeToString(wav);
      assertEquals("ok 7", verdict(body(good)), "valid, " + wav.length + " bytes");
      List<String> variants = new ArrayList<>();
      for (int i : positions(good)) {
        for (String c : FOREIGN) {
          variants.add(good.substring(0, i) + c + good.substring(i + 1)); // replaced
          variants.add(good.substring(0, i) + c + good.substring(i)); // inserted
        }
        variants.add(good.substring(0, i) + good.substring(i + 1)); // length not a multiple of 4
      }
      variants.add(good + "=");
      variants.add(good + "==");
      variants.add(good + "====");
      variants.add(good + "AAAA");
      variants.add(good.replace("=", ""));
      variants.add(good.replace("==", "A="));
      variants.add(good.replace("=", "A"));
      variants.add(good.replace("=", "") + "===");
      variants.add(good.substring(0, good.length() - 4) + "====");
      variants.add(good.substring(0, good.length() - 4) + "A===");
      variants.add(good.substring(0, 8) + "====" + good.substring(8));
      variants.add(good.replace('+', '-').replace('/', '_')); // url-safe alphabet
      for (String data : variants) {
        String want = expected(data);
        assertEquals(want, verdict(body(data)), () -> "data " + describe(data, good));
        if (want.equals("base64")) {
          rejected++;
        }
      }
    }
    assertTrue(rejected > 1000, "rejected " + rejected);
  }

  @Test
  void scanAgreesWithTheDecoders() {
    byte[] all = new byte[64];
    new java.util.SplittableRandom(7).nextBytes(all);
    for (int n = 0; n <= 40; n++) {
      String good = Base64.getEncoder().encodeToString(Arrays.copyOf(all, n));
      for (int i = 0; i <= good.length(); i++) {
        for (int b = 0; b < 256; b++) {
          byte[] s = ("\"" + good + "\"").getBytes(StandardCharsets.ISO_8859_1);
          byte[] t = Arrays.copyOf(s, s.length + 1);
          System.arraycopy(s, 1 + i, t, 2 + i, s.length - 1 - i);
          t[1 + i] = (byte) b; // byte b inserted at i
          check(s);
          check(t);
          if (i < good.length()) {
            s[1 + i] = (byte) b; // byte b in place of the one at i
            check(s);
          }
        }
      }
    }
  }

  /** closingQuote accepts a quoted string iff the JDK's strict decoder does and it is padded (length % 4 == 0). */
  private static void check(byte[] quoted) {
    int close = -1;
    for (int i = 1; i < quoted.length && close < 0; i++) {
      close = quoted[i] == '"' ? i : -1;
    }
    byte[] content = Arrays.copyOfRange(quoted, 1, close < 0 ? quoted.length : close);
    byte[] jdk;
    try {
      jdk = close < 0 || content.length % 4 != 0 || content.length == 0 ? null : Base64.getDecoder().decode(content);
    } catch (IllegalArgumentException e) {
      jdk = null;
    }
    int end = StrictBase64.closingQuote(quoted, 1);
    String what = new String(quoted, StandardCharsets.ISO_8859_1);
    assertEquals(jdk == null ? -1 : close, end, what);
    if (jdk != null) {
      assertEquals(Arrays.toString(jdk), Arrays.toString(StrictBase64.decode(quoted, 1, end)), what);
    }
  }

  @Test
  void escapedAndWrappedBase64TakeTheOldPath() throws Exception {
    String good = Base64.getEncoder().encodeToString(WAV);
    assertEquals("ok 7", verdict(escapedSlashes(WAV)));
    assertEquals("ok 7", verdict(body(Base64.getMimeEncoder().encodeToString(WAV))), "line breaks");
    assertEquals("base64", verdict(body(good.substring(1) + "\t")));
    assertTrue(verdict(body("")).contains("音频为空"), "empty");
  }

  /** The tree is the one Jackson builds, but for the screened audio in place of its text. */
  @Test
  void treeAndParseErrorsAreUnchanged() throws Exception {
    String good = Base64.getEncoder().encodeToString(WAV);
    String b = new String(body(good), StandardCharsets.UTF_8);
    String other = "{\"data\":\"" + good + "\",\"messages\":[{\"role\":\"system\",\"content\":[{\"input_audio\":{\"data\":\"QUJD\"}}]}]}";
    for (String json : List.of(b, other, b.replace("{\"data\":", "{\"data\":\"!!!!\",\"data\":"),
        b.replace(",\"format\"", ",\"data\":\"QUJD\",\"format\""), "\uFEFF" + b)) {
      for (byte[] bytes : List.of(json.getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_16BE))) {
        JsonNode old = JSON.readTree(bytes);
        JsonNode now = RequestValidator.parse(bytes);
        for (JsonNode part : now.path("messages").path(0).path("content")) {
          ScreenedAudio screened = ScreenedAudio.of(part.path("input_audio").path("data"));
          if (screened != null) {
            ((ObjectNode) part.get("input_audio")).put("data", Base64.getEncoder().encodeToString(screened.decode()));
          }
        }
        assertEquals(old, now, json.substring(0, 40));
      }
    }
    assertNotNull(ScreenedAudio.of(RequestValidator.parse(body(good)).at("/messages/0/content/0/input_audio/data")));
    for (String broken : List.of(b + " x", b + "{}", b.substring(0, b.length() - 1), b.replace("\"wav\"}", "\"wav\"]"),
        b.replace(good, good + "\u0001"), "[" + b + "]", "null", "", " ")) {
      assertThrows(ServiceErrorException.class, () -> RequestValidator.parse(broken.getBytes(StandardCharsets.UTF_8)));
    }
  }

  private static String describe(String data, String good) {
    for (int i = 0; i < Math.min(data.length(), good.length()); i++) {
      if (data.charAt(i) != good.charAt(i)) {
        return "differs at " + i + ": " + data.substring(Math.max(0, i - 2), Math.min(data.length(), i + 6));
      }
    }
    return "length " + data.length() + " vs " + good.length();
  }
}
