package io.glmvoicebatch.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Base64;
import java.util.function.Consumer;
import java.util.stream.Stream;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each documented request limit produces its error code, and errors are not billed. */
class ValidationTest {
  static GlmVoiceSimulator sim;
  static SimClient client;
  static final byte[] WAV = TestAudio.wavSeconds(0.5, 16_000);

  @BeforeAll
  static void start() throws Exception {
    sim = GlmVoiceSimulator.start(SimulatorConfig.builder().latency(LatencyModel.fixed(Duration.ZERO)).build());
    client = new SimClient(sim);
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  static Arguments bad(String name, String code, Consumer<ObjectNode> edit) {
    return Arguments.of(name, code, edit);
  }

  static ObjectNode part0(ObjectNode body) {
    return (ObjectNode) body.at("/messages/0/content/0");
  }

  static Stream<Arguments> invalidBodies() {
    return Stream.of(
        bad("model missing", "1213", b -> b.remove("model")),
        bad("model unknown", "1211", b -> b.put("model", "glm-4")),
        bad("model not a string", "1210", b -> b.put("model", 4)),
        bad("messages missing", "1213", b -> b.remove("messages")),
        bad("messages not an array", "1210", b -> b.put("messages", "hi")),
        bad("messages empty", "1214", b -> b.putArray("messages")),
        bad("role unknown", "1214", b -> ((ObjectNode) b.at("/messages/0")).put("role", "tool")),
        bad("role missing", "1213", b -> ((ObjectNode) b.at("/messages/0")).remove("role")),
        bad("only system", "1214", b -> ((ObjectNode) b.at("/messages/0")).put("role", "system").put("content", "x")),
        bad("only assistant", "1214", b -> ((ObjectNode) b.at("/messages/0")).put("role", "assistant").put("content", "x")),
        bad("user content missing", "1213", b -> ((ObjectNode) b.at("/messages/0")).remove("content")),
        bad("user content number", "1210", b -> ((ObjectNode) b.at("/messages/0")).put("content", 3)),
        bad("content parts empty", "1214", b -> ((ObjectNode) b.at("/messages/0")).putArray("content")),
        bad("part type unknown", "1214", b -> part0(b).put("type", "image_url")),
        bad("text part without text", "1213", b -> part0(b).removeAll().put("type", "text")),
        bad("audio data missing", "1213", b -> ((ObjectNode) part0(b).get("input_audio")).remove("data")),
        bad("audio data not base64", "1214", b -> ((ObjectNode) part0(b).get("input_audio")).put("data", "$$$not base64$$$")),
        bad("audio data unpadded", "1214", b -> ((ObjectNode) part0(b).get("input_audio")).put("data",
            Base64.getEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(WAV, WAV.length - 1)))),
        bad("audio data after padding", "1214", b -> ((ObjectNode) part0(b).get("input_audio")).put("data",
            Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(WAV, WAV.length - 1)) + "AAAA")),
        bad("audio data with a space", "1214", b -> ((ObjectNode) part0(b).get("input_audio")).put("data",
            " " + Base64.getEncoder().encodeToString(WAV).substring(1))),
        bad("audio data empty", "1214", b -> ((ObjectNode) part0(b).get("input_audio")).put("data", "")),
        bad("audio format flac", "1214", b -> ((ObjectNode) part0(b).get("input_audio")).put("format", "flac")),
        bad("audio format missing", "1213", b -> ((ObjectNode) part0(b).get("input_audio")).remove("format")),
        bad("wav does not parse", "1214",
            b -> ((ObjectNode) part0(b).get("input_audio")).put("data", Base64.getEncoder().encodeToString("RIFF????WAVEjunk".getBytes()))),
        bad("mp3 does not parse", "1214",
            b -> ((ObjectNode) part0(b).get("input_audio")).put("format", "mp3")),
        bad("temperature > 1", "1214", b -> b.put("temperature", 1.5)),
        bad("temperature < 0", "1214", b -> b.put("temperature", -0.1)),
        bad("temperature string", "1210", b -> b.put("temperature", "0.5")),
        bad("top_p < 0.01", "1214", b -> b.put("top_p", 0.0)),
        bad("top_p > 1", "1214", b -> b.put("top_p", 1.01)),
        bad("max_tokens 0", "1214", b -> b.put("max_tokens", 0)),
        bad("max_tokens 4097", "1214", b -> b.put("max_tokens", 4097)),
        bad("max_tokens fractional", "1210", b -> b.put("max_tokens", 10.5)),
        bad("request_id too short", "1214", b -> b.put("request_id", "abcde")),
        bad("request_id too long", "1214", b -> b.put("request_id", "x".repeat(65))),
        bad("user_id too short", "1214", b -> b.put("user_id", "u1")),
        bad("user_id too long", "1214", b -> b.put("user_id", "u".repeat(129))),
        bad("two stop words", "1214", b -> b.putArray("stop").add("a").add("b")),
        bad("stop not an array", "1210", b -> b.put("stop", "a")),
        bad("stream not boolean", "1210", b -> b.put("stream", "yes")),
        bad("do_sample not boolean", "1210", b -> b.put("do_sample", 1)),
        bad("prompt + max_tokens over 8K", "1261",
            b -> ((ObjectNode) b.at("/messages/0")).put("content", "x".repeat(4 * 7200)).put("role", "user")));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("invalidBodies")
  void invalidBodyGetsItsCode(String name, String code, Consumer<ObjectNode> edit) throws Exception {
    ObjectNode body = SimClient.audioRequest(WAV, null);
    edit.accept(body);
    long billedBefore = sim.stats().totalTokensBilled();
    SimClient.Reply r = client.post(body);
    assertEquals(code, r.status() == 200 ? "200 OK" : r.errorCode(), name + ": " + r.status());
    assertEquals(400, r.status());
    assertTrue(r.json().path("error").path("message").asText().length() > 3);
    assertEquals(billedBefore, sim.stats().totalTokensBilled(), "errors are not billed");
  }

  @Test
  void boundaryValuesAreAccepted() throws Exception {
    ObjectNode body = SimClient.audioRequest(WAV, null);
    body.put("temperature", 0.0).put("top_p", 0.01).put("max_tokens", 4096).put("do_sample", false);
    body.put("request_id", "abcdef").put("user_id", "u".repeat(128)).put("stream", false);
    body.putArray("stop").add("zzz-never");
    body.put("tools_we_do_not_know", true); // unknown fields are ignored
    assertEquals(200, client.post(body).status());
    body.put("temperature", 1).put("top_p", 1).put("max_tokens", 1).put("request_id", "r".repeat(64));
    assertEquals(200, client.post(body).status());
  }

  @Test
  void lineWrappedBase64IsAcceptedLikeOneLine() throws Exception {
    ObjectNode wrapped = SimClient.audioRequest(WAV, null);
    ((ObjectNode) part0(wrapped).get("input_audio")).put("data", Base64.getMimeEncoder().encodeToString(WAV));
    assertTrue(((ObjectNode) part0(wrapped).get("input_audio")).get("data").asText().contains("\r\n"));
    SimClient.Reply r = client.post(wrapped);
    assertEquals(200, r.status(), r.body());
    ObjectNode plain = SimClient.audioRequest(WAV, null);
    assertEquals(r.json().path("usage").path("prompt_tokens").asLong(),
        client.post(plain).json().path("usage").path("prompt_tokens").asLong(), "same audio, same prompt tokens");
  }

  @Test
  void textOnlyAndAudioOnlyAreBothValid() throws Exception {
    assertEquals(200, client.post(SimClient.textRequest("hello there")).status());
    assertEquals(200, client.post(SimClient.audioRequest(WAV, null)).status());
  }

  @Test
  void audioOverTenMinutesIs1214() throws Exception {
    // 601 s at 8 kHz: small enough to send, one second over the documented limit.
    SimClient.Reply r = client.post(SimClient.audioRequest(TestAudio.wavSeconds(601, 8000), null));
    assertEquals("1214", r.errorCode(), r.body());
    assertTrue(r.json().path("error").path("message").asText().contains("10"));
  }

  @Test
  void tenMinutesOf16kHzAudioTheLongestRequestDocumentedIsAccepted() throws Exception {
    // 19.2 MB of WAV, a 25.6-million-character base64 string: over Jackson's default string limit.
    ObjectNode body = SimClient.audioRequest(TestAudio.wavSeconds(600, 16_000), null); // 7500 tokens
    body.put("max_tokens", 8192 - 7500);
    SimClient.Reply r = client.post(body);
    assertEquals(200, r.status(), r.body());
    assertEquals(7500, r.json().path("usage").path("prompt_tokens").asLong());
  }

  @Test
  void nineAndAHalfMinutesWithSmallMaxTokensFitsTheContext() throws Exception {
    ObjectNode body = SimClient.audioRequest(TestAudio.wavSeconds(570, 8000), null); // 7125 tokens
    body.put("max_tokens", 1000);
    assertEquals(200, client.post(body).status());
    body.put("max_tokens", 1100); // 8225 > 8192
    assertEquals("1261", client.post(body).errorCode());
  }

  @Test
  void bodyThatIsNotJsonIs1210() throws Exception {
    assertEquals("1210", client.post("{\"model\":").errorCode());
    assertEquals("1210", client.post("[1,2]").errorCode());
  }

  @Test
  void wrongContentTypeIs1210() throws Exception {
    String body = SimClient.JSON.writeValueAsString(SimClient.textRequest("hi"));
    SimClient.Reply r = client.post("/chat/completions", body, MediaType.get("text/plain"));
    assertEquals("1210", r.errorCode());
  }

  @Test
  void unknownPathIs404JsonAndWrongMethodIs405() throws Exception {
    SimClient.Reply r = client.post("/embeddings", "{}", SimClient.JSON_TYPE);
    assertEquals(404, r.status());
    assertEquals("404", r.errorCode());
    SimClient.Reply g = client.get(client.baseUrl + "/chat/completions");
    assertEquals(405, g.status());
    assertEquals("405", g.errorCode());
    Request put =
        new Request.Builder()
            .url(client.baseUrl + "/chat/completions")
            .put(RequestBody.create("{}", SimClient.JSON_TYPE))
            .build();
    assertEquals(405, client.execute(put).status());
  }

  @Test
  void duplicateRequestIdsAreAcceptedByDefaultAndRefusedWhenConfigured() throws Exception {
    ObjectNode body = SimClient.audioRequest(WAV, null).put("request_id", "dup-000001");
    assertEquals(200, client.post(body).status());
    assertEquals(200, client.post(body).status(), "retries reuse ids: allowed by default");
    try (GlmVoiceSimulator strict =
        GlmVoiceSimulator.start(
            SimulatorConfig.builder()
                .latency(LatencyModel.fixed(Duration.ZERO))
                .rejectDuplicateRequestIds(true)
                .build())) {
      SimClient c = new SimClient(strict);
      assertEquals(200, c.post(body).status());
      SimClient.Reply again = c.post(body);
      assertEquals(400, again.status());
      assertEquals("1231", again.errorCode());
    }
  }
}
