package io.glmvoicebatch.api;

import io.glmvoicebatch.manifest.RequestParams;
import static io.glmvoicebatch.api.Fixtures.JSON;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Scripted protocol cases against a real HTTP server on loopback. */
class GlmVoiceClientProtocolTest {
  private MockWebServer server;
  private GlmVoiceClient client;

  @BeforeEach
  void setUp() throws Exception {
    server = new MockWebServer();
    server.start();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (client != null) {
      client.close();
    }
    server.shutdown();
  }

  private CallOutcome call(ChatRequest request) throws Exception {
    return client.submit(request).get(20, TimeUnit.SECONDS);
  }

  private GlmVoiceClient client(ClientSettings settings) {
    client = GlmVoiceClient.create(settings);
    return client;
  }

  private JsonNode body(RecordedRequest r) throws Exception {
    return JSON.readTree(r.getBody().readUtf8());
  }

  @Test
  void requestBodyAndHeadersFollowTheContract() throws Exception {
    client(Fixtures.settings(server).build());
    server.enqueue(Fixtures.ok());
    byte[] audio = Fixtures.wav(16000, 1, 16000);
    ChatRequest request = ChatRequest.builder().requestId("item-000001").audio(audio, "wav")
        .params(new RequestParams("请回答", "你是一个助手", 512, 0.5, 0.7)).build();
    CallOutcome outcome = call(request);
    assertTrue(outcome.ok(), outcome.toString());

    RecordedRequest r = server.takeRequest();
    assertEquals("POST", r.getMethod());
    assertEquals("/api/paas/v4/chat/completions", r.getPath());
    assertEquals("application/json", r.getHeader("Content-Type"));
    assertEquals("Bearer " + Fixtures.KEY, r.getHeader("Authorization"));
    assertEquals(String.valueOf(r.getBodySize()), r.getHeader("Content-Length"));
    JsonNode json = body(r);
    assertEquals("glm-4-voice", json.get("model").asText());
    assertEquals("item-000001", json.get("request_id").asText());
    assertEquals(512, json.get("max_tokens").asInt());
    assertEquals(0.5, json.get("temperature").asDouble());
    assertEquals(0.7, json.get("top_p").asDouble());
    assertFalse(json.get("stream").asBoolean());
    JsonNode messages = json.get("messages");
    assertEquals(2, messages.size());
    assertEquals("system", messages.get(0).get("role").asText());
    assertEquals("你是一个助手", messages.get(0).get("content").asText());
    JsonNode user = messages.get(1);
    assertEquals("user", user.get("role").asText());
    JsonNode content = user.get("content");
    assertEquals(2, content.size());
    assertEquals("text", content.get(0).get("type").asText());
    assertEquals("请回答", content.get(0).get("text").asText());
    assertEquals("input_audio", content.get(1).get("type").asText());
    assertEquals("wav", content.get(1).get("input_audio").get("format").asText());
    assertArrayEquals(audio, Base64.getDecoder().decode(content.get(1).get("input_audio").get("data").asText()));
  }

  @Test
  void optionalFieldsAreOmittedWhenUnset() throws Exception {
    client(Fixtures.settings(server).build());
    server.enqueue(Fixtures.ok());
    assertTrue(call(Fixtures.request("item-000002")).ok());
    JsonNode json = body(server.takeRequest());
    assertFalse(json.has("max_tokens"));
    assertFalse(json.has("temperature"));
    assertFalse(json.has("top_p"));
    assertEquals(1, json.get("messages").size());
    assertEquals(1, json.get("messages").get(0).get("content").size());
    assertEquals("input_audio", json.get("messages").get(0).get("content").get(0).get("type").asText());
  }

  @Test
  void concurrencyExceededThenSuccessIsOkAfterTwoAttempts() throws Exception {
    client(Fixtures.settings(server).build());
    server.enqueue(Fixtures.error(429, "1302", "您当前使用该API的并发数过高，请降低并发，或联系客服增加限额。"));
    server.enqueue(Fixtures.ok());
    CallOutcome outcome = call(Fixtures.request("item-000003"));
    assertTrue(outcome.ok(), outcome.toString());
    assertEquals(2, outcome.attempts());
    assertEquals(List.of("item-000003", "item-000003-r2"), outcome.requestIds());
    assertEquals("item-000003", body(server.takeRequest()).get("request_id").asText());
    assertEquals("item-000003-r2", body(server.takeRequest()).get("request_id").asText());
    assertEquals(447, outcome.usage().totalTokens());
    assertEquals(0, client.inFlight());
  }

  @Test
  void badParameterFailsAtOnceWithVerbatimMessage() throws Exception {
    client(Fixtures.settings(server).build());
    server.enqueue(Fixtures.error(400, "1210", "API 调用参数有误，请检查文档。"));
    CallOutcome outcome = call(Fixtures.request("item-000004"));
    assertFalse(outcome.ok());
    assertEquals(1, outcome.attempts());
    assertEquals("1210", outcome.error().code());
    assertEquals(400, outcome.error().httpStatus());
    assertEquals("API 调用参数有误，请检查文档。", outcome.error().message());
    assertFalse(outcome.error().retryable());
    assertFalse(outcome.error().stopsBatch());
    assertFalse(client.batchStopped());
    assertEquals(1, server.getRequestCount());
  }

  @Test
  void unauthorizedStopsTheBatch() throws Exception {
    client(Fixtures.settings(server).build());
    server.enqueue(Fixtures.error(401, "1000", "身份验证失败。"));
    CallOutcome first = call(Fixtures.request("item-000005"));
    assertFalse(first.ok());
    assertEquals("1000", first.error().code());
    assertTrue(first.error().stopsBatch());
    assertEquals(1, first.attempts());
    assertTrue(client.batchStopped());
    assertEquals("1000", client.stopReason().code());

    CallOutcome later = call(Fixtures.request("item-000006"));
    assertEquals(ApiError.BATCH_STOPPED, later.error().code());
    assertEquals(0, later.attempts());
    assertTrue(later.error().message().startsWith("batch stopped: service answered 1000"), later.error().message());
    assertTrue(later.error().message().contains("item-000005"));
    assertEquals(1, server.getRequestCount());
  }

  @Test
  void arrearsStopsTheBatchIncludingQueuedItems() throws Exception {
    client(Fixtures.settings(server).maxInFlight(1).build());
    server.enqueue(Fixtures.error(429, "1113", "您的账户已欠费，请充值后重试。").setBodyDelay(200, TimeUnit.MILLISECONDS));
    List<CompletableFuture<CallOutcome>> futures = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      futures.add(client.submit(Fixtures.request("item-10000" + i)));
    }
    CallOutcome first = futures.get(0).get(10, TimeUnit.SECONDS);
    assertEquals("1113", first.error().code());
    assertTrue(first.error().stopsBatch());
    for (int i = 1; i < 5; i++) {
      CallOutcome o = futures.get(i).get(10, TimeUnit.SECONDS);
      assertEquals(ApiError.BATCH_STOPPED, o.error().code());
      assertTrue(o.error().message().contains("1113 (HTTP 429, account in arrears"), o.error().message());
      assertTrue(o.error().message().contains("on item item-100000"), o.error().message());
      assertTrue(o.error().stopsBatch());
    }
    assertEquals(1, server.getRequestCount());
  }

  @Test
  void htmlBadGatewayIsRetried() throws Exception {
    client(Fixtures.settings(server).build());
    server.enqueue(new MockResponse().setResponseCode(502).setHeader("Content-Type", "text/html")
        .setBody("<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"));
    server.enqueue(Fixtures.ok());
    CallOutcome outcome = call(Fixtures.request("item-000007"));
    assertTrue(outcome.ok(), outcome.toString());
    assertEquals(2, outcome.attempts());
  }

  @Test
  void htmlBadGatewayReportedWhenRetriesRunOut() throws Exception {
    client(Fixtures.settings(server)
        .retryPolicy(RetryPolicy.builder().maxAttempts(2).baseDelay(Duration.ZERO).maxDelay(Duration.ZERO).build())
        .build());
    for (int i = 0; i < 2; i++) {
      server.enqueue(new MockResponse().setResponseCode(502).setHeader("Content-Type", "text/html")
          .setBody("<html><title>502 Bad Gateway</title></html>"));
    }
    CallOutcome outcome = call(Fixtures.request("item-000008"));
    assertEquals("http_502", outcome.error().code());
    assertEquals(502, outcome.error().httpStatus());
    assertTrue(outcome.error().retryable());
    assertTrue(outcome.error().message().contains("502 Bad Gateway"), outcome.error().message());
    assertEquals(2, outcome.attempts());
  }

  /** Sent, then no usable answer: the service may have billed it, so it is uncertain and never retried. */
  private void assertUncertainAfterOneAttempt(CallOutcome outcome, String code, int httpStatus) {
    assertFalse(outcome.ok(), outcome.toString());
    assertTrue(outcome.uncertain(), outcome.toString());
    assertEquals(code, outcome.error().code(), outcome.toString());
    assertEquals(httpStatus, outcome.error().httpStatus(), outcome.toString());
    assertFalse(outcome.error().retryable(), outcome.toString());
    assertEquals(1, outcome.attempts(), outcome.toString());
    assertEquals(outcome.requestIds().get(0), outcome.uncertainRequestId());
    assertEquals(1, server.getRequestCount(), "an attempt that may have been billed is not sent again");
  }

  @Test
  void disconnectMidBodyOfA200IsUncertainNotRetried() throws Exception {
    client(Fixtures.settings(server).build());
    server.enqueue(Fixtures.ok().setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY));
    server.enqueue(Fixtures.ok());
    CallOutcome outcome = call(Fixtures.request("item-000009"));
    assertUncertainAfterOneAttempt(outcome, ApiError.CONNECTION_RESET, 200);
    assertTrue(outcome.error().message().contains("reply body cut off"), outcome.error().message());
  }

  @Test
  void disconnectAfterTheRequestWasSentIsUncertainNotRetried() throws Exception {
    client(Fixtures.settings(server).build());
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
    server.enqueue(Fixtures.ok());
    CallOutcome outcome = call(Fixtures.request("item-000010"));
    assertUncertainAfterOneAttempt(outcome, ApiError.CONNECTION_RESET, 0);
  }

  @Test
  void truncatedJsonIn200IsUncertainNotRetried() throws Exception {
    client(Fixtures.settings(server).build());
    String full = Fixtures.reply(Fixtures.wav(22050, 1, 100), true).toString();
    server.enqueue(new MockResponse().setHeader("Content-Type", "application/json")
        .setBody(full.substring(0, full.length() / 2)));
    server.enqueue(Fixtures.ok());
    CallOutcome outcome = call(Fixtures.request("item-000011"));
    assertUncertainAfterOneAttempt(outcome, ApiError.BAD_REPLY, 200);
    assertTrue(outcome.error().message().contains("not valid JSON"), outcome.error().message());
  }

  @Test
  void readTimeoutAfterSendingIsUncertainNotRetried() throws Exception {
    client(Fixtures.settings(server).readTimeout(Duration.ofMillis(300)).serviceMaxRequestTime(Duration.ZERO).build());
    server.enqueue(Fixtures.ok().setHeadersDelay(2, TimeUnit.SECONDS));
    server.enqueue(Fixtures.ok());
    CallOutcome outcome = call(Fixtures.request("item-000012"));
    assertUncertainAfterOneAttempt(outcome, ApiError.TIMEOUT, 0);
    assertTrue(outcome.error().message().contains("may have billed"), outcome.error().message());
  }

  @Test
  void itemDeadlineCutsARunningAttemptUncertain() throws Exception {
    client(Fixtures.settings(server).itemDeadline(Duration.ofMillis(400)).serviceMaxRequestTime(Duration.ZERO)
        .build());
    server.enqueue(Fixtures.ok().setHeadersDelay(3, TimeUnit.SECONDS));
    CallOutcome outcome = call(Fixtures.request("item-000013"));
    assertUncertainAfterOneAttempt(outcome, ApiError.DEADLINE_EXCEEDED, 0);
  }

  @Test
  void dripping200IsCutByTheCallTimeoutAndUncertain() throws Exception {
    // Call timeout = read + connect = 1.2 s; the body arrives 1 KB per 100 ms, each read well within the
    // read timeout, so only the per-attempt call timeout can end it.
    client(Fixtures.settings(server).readTimeout(Duration.ofMillis(1000)).connectTimeout(Duration.ofMillis(200))
        .build());
    server.enqueue(Fixtures.ok(Fixtures.reply(Fixtures.wav(22050, 1, 22050), true))
        .throttleBody(1024, 100, TimeUnit.MILLISECONDS));
    CallOutcome outcome = call(Fixtures.request("item-000022"));
    assertUncertainAfterOneAttempt(outcome, ApiError.TIMEOUT, 200);
    assertTrue(outcome.error().message().contains("reply body still incomplete"), outcome.error().message());
  }

  @Test
  void connectionRefusedIsRetriedAndNotUncertain() throws Exception {
    int closedPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    client(Fixtures.settings("http://127.0.0.1:" + closedPort + "/api/paas/v4")
        .retryPolicy(RetryPolicy.builder().maxAttempts(3).baseDelay(Duration.ZERO).maxDelay(Duration.ZERO).build())
        .build());
    CallOutcome outcome = call(Fixtures.request("item-000023"));
    assertEquals(ApiError.CONNECTION_RESET, outcome.error().code(), outcome.toString());
    assertFalse(outcome.uncertain(), "never sent, so never billed: " + outcome);
    assertEquals(3, outcome.attempts());
  }

  @Test
  void noAudioReplyIsBadReplyWithUsageKept() throws Exception {
    client(Fixtures.settings(server).build());
    ObjectNode reply = Fixtures.reply(null, true);
    ((ObjectNode) reply.get("choices").get(0)).put("finish_reason", "sensitive");
    server.enqueue(Fixtures.ok(reply));
    CallOutcome outcome = call(Fixtures.request("item-000014"));
    assertFalse(outcome.ok());
    assertEquals(ApiError.BAD_REPLY, outcome.error().code());
    assertEquals("HTTP 200 reply: choices[0].message has no audio (finish_reason=sensitive)", outcome.error().message());
    assertFalse(outcome.error().retryable());
    assertTrue(outcome.uncertain(), "billed but unusable: " + outcome);
    assertEquals(1, outcome.attempts());
    assertEquals(Usage.of(107, 340, 447), outcome.usage());
  }

  @Test
  void noChoicesMissingUsageAndInvalidBase64AreNamedPrecisely() throws Exception {
    client(Fixtures.settings(server).build());
    ObjectNode noChoices = Fixtures.reply(null, true);
    noChoices.remove("choices");
    server.enqueue(Fixtures.ok(noChoices));
    ObjectNode noUsage = Fixtures.reply(Fixtures.wav(22050, 1, 100), false);
    server.enqueue(Fixtures.ok(noUsage));
    ObjectNode badBase64 = Fixtures.reply(Fixtures.wav(22050, 1, 100), true);
    ((ObjectNode) badBase64.get("choices").get(0).get("message").get("audio")).put("data", "UklGR*&^%");
    server.enqueue(Fixtures.ok(badBase64));

    CallOutcome a = call(Fixtures.request("item-000015"));
    assertEquals("HTTP 200 reply: no choices", a.error().message());
    assertEquals(447, a.usage().totalTokens());
    CallOutcome b = call(Fixtures.request("item-000016"));
    assertEquals("HTTP 200 reply: no usage (finish_reason=stop)", b.error().message());
    assertNull(b.usage());
    CallOutcome c = call(Fixtures.request("item-000017"));
    assertEquals(ApiError.BAD_REPLY, c.error().code());
    assertTrue(c.error().message().startsWith("HTTP 200 reply: choices[0].message.audio.data is not valid base64"),
        c.error().message());
    assertEquals(447, c.usage().totalTokens());
  }

  @Test
  void riffReplyIsParsedAndRewritten() throws Exception {
    client(Fixtures.settings(server).build());
    byte[] wav = Fixtures.wav(22050, 1, 22050);
    server.enqueue(Fixtures.ok(Fixtures.reply(wav, true)));
    CallOutcome outcome = call(Fixtures.request("item-000018"));
    ReplyAudio audio = outcome.reply().audio();
    assertEquals("wav", audio.wireForm());
    assertEquals(22050, audio.sampleRate());
    assertEquals(1, audio.channels());
    assertEquals(22050, audio.frames());
    assertEquals(1.0, audio.seconds(), 1e-9);
    assertArrayEquals(wav, audio.wavBytes()); // canonical input comes back byte-identical
    ChatReply reply = outcome.reply();
    assertEquals("你好，我是语音助手", reply.text());
    assertEquals("stop", reply.finishReason());
    assertEquals("f8d4bf4b-a376-48e6-8c81-54bb6a9a31d0", reply.audioId());
    assertEquals("1749187238", reply.audioExpiresAt());
    assertEquals("20250605132035222ead927d794645", reply.responseId());
  }

  @Test
  void rawPcmReplyIsWrappedPerConfiguredFormat() throws Exception {
    client(Fixtures.settings(server).build());
    byte[] pcm = Fixtures.rawPcm(44100);
    ObjectNode reply = Fixtures.reply(pcm, true);
    ((ObjectNode) reply.get("choices").get(0).get("message").get("audio")).put("expires_at", "1749187238");
    server.enqueue(Fixtures.ok(reply));
    CallOutcome outcome = call(Fixtures.request("item-000019"));
    ReplyAudio audio = outcome.reply().audio();
    assertEquals("raw_pcm", audio.wireForm());
    assertEquals(44100, audio.sampleRate());
    assertEquals(1, audio.channels());
    assertEquals(44100, audio.frames());
    byte[] wav = audio.wavBytes();
    assertEquals("RIFF", new String(wav, 0, 4));
    assertEquals("WAVE", new String(wav, 8, 4));
    assertEquals(44 + pcm.length, wav.length);
    assertEquals("1749187238", outcome.reply().audioExpiresAt());
  }

  @Test
  void retriesExhaustedReportTheLastError() throws Exception {
    client(Fixtures.settings(server)
        .retryPolicy(RetryPolicy.builder().maxAttempts(3).baseDelay(Duration.ZERO).maxDelay(Duration.ZERO).build())
        .build());
    server.enqueue(Fixtures.error(429, "1302", "并发数过高"));
    server.enqueue(Fixtures.error(500, "1234", "网络错误"));
    server.enqueue(Fixtures.error(429, "1305", "当前API请求过多，请稍后重试。"));
    CallOutcome outcome = call(Fixtures.request("item-000020"));
    assertEquals("1305", outcome.error().code());
    assertEquals("当前API请求过多，请稍后重试。", outcome.error().message());
    assertEquals(3, outcome.attempts());
    assertEquals(List.of("item-000020", "item-000020-r2", "item-000020-r3"), outcome.requestIds());
  }

  @Test
  void errorObjectInsideA200IsAServiceError() throws Exception {
    client(Fixtures.settings(server).build());
    server.enqueue(new MockResponse().setBody("{\"error\":{\"code\":\"1261\",\"message\":\"Prompt 超长\"}}"));
    CallOutcome outcome = call(Fixtures.request("item-000021"));
    assertEquals("1261", outcome.error().code());
    assertEquals(1, outcome.attempts());
  }

  @Test
  void attemptIdsStayWithinSixtyFourCharacters() {
    String base = "x".repeat(64);
    String other = "x".repeat(63) + "y";
    assertEquals(base, GlmVoiceClient.attemptRequestId(base, 1));
    String r2 = GlmVoiceClient.attemptRequestId(base, 2);
    String r10 = GlmVoiceClient.attemptRequestId(base, 10);
    assertEquals(64, r2.length());
    assertEquals(64, r10.length());
    assertTrue(r2.endsWith("-r2"));
    assertFalse(r2.equals(GlmVoiceClient.attemptRequestId(other, 2)));
    assertEquals("abcdef-r2", GlmVoiceClient.attemptRequestId("abcdef", 2));
  }

  @Test
  void textOnlyRequestHasNoAudioPart() throws Exception {
    client(Fixtures.settings(server).build());
    server.enqueue(Fixtures.ok());
    ChatRequest r = ChatRequest.builder().requestId("text-only-1").params(RequestParams.prompt("hello")).build();
    assertNotNull(call(r).reply());
    JsonNode content = body(server.takeRequest()).get("messages").get(0).get("content");
    assertEquals(1, content.size());
    assertEquals("text", content.get(0).get("type").asText());
  }
}
