package io.glmvoicebatch.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Base64;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** A plain HTTP client for the tests: what any client of the real API would send. */
final class SimClient {
  static final ObjectMapper JSON = new ObjectMapper();
  static final MediaType JSON_TYPE = MediaType.get("application/json; charset=utf-8");

  final OkHttpClient http;
  final String baseUrl;
  String authorization = "Bearer test.key";

  SimClient(GlmVoiceSimulator sim) {
    this.baseUrl = sim.baseUrl();
    this.http =
        new OkHttpClient.Builder()
            .readTimeout(Duration.ofSeconds(30))
            .retryOnConnectionFailure(false)
            .connectionPool(new okhttp3.ConnectionPool(0, 1, java.util.concurrent.TimeUnit.SECONDS))
            .dispatcher(dispatcher())
            .build();
  }

  private static okhttp3.Dispatcher dispatcher() {
    okhttp3.Dispatcher d = new okhttp3.Dispatcher();
    d.setMaxRequests(256);
    d.setMaxRequestsPerHost(256);
    return d;
  }

  record Reply(int status, String contentType, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + body, e);
      }
    }

    String errorCode() {
      return json().path("error").path("code").asText(null);
    }
  }

  Reply post(Object body) throws IOException {
    String text = body instanceof String s ? s : JSON.writeValueAsString(body);
    return post("/chat/completions", text, JSON_TYPE);
  }

  Reply post(String path, String text, MediaType type) throws IOException {
    Request.Builder rb = new Request.Builder().url(baseUrl + path).post(RequestBody.create(text, type));
    if (authorization != null) {
      rb.header("Authorization", authorization);
    }
    return execute(rb.build());
  }

  Reply get(String url) throws IOException {
    Request.Builder rb = new Request.Builder().url(url).get();
    if (authorization != null) {
      rb.header("Authorization", authorization);
    }
    return execute(rb.build());
  }

  Reply execute(Request request) throws IOException {
    try (Response r = http.newCall(request).execute()) {
      return new Reply(r.code(), r.header("Content-Type"), r.body().string());
    }
  }

  /** A minimal valid body: one user message with a WAV and a text part. */
  static ObjectNode audioRequest(byte[] wav, String text) {
    ObjectNode root = JSON.createObjectNode();
    root.put("model", "glm-4-voice");
    ArrayNode content = root.putArray("messages").addObject().put("role", "user").putArray("content");
    if (text != null) {
      content.addObject().put("type", "text").put("text", text);
    }
    content
        .addObject()
        .put("type", "input_audio")
        .putObject("input_audio")
        .put("data", Base64.getEncoder().encodeToString(wav))
        .put("format", "wav");
    return root;
  }

  static ObjectNode textRequest(String text) {
    ObjectNode root = JSON.createObjectNode();
    root.put("model", "glm-4-voice");
    root.putArray("messages").addObject().put("role", "user").put("content", text);
    return root;
  }

  static byte[] replyAudio(JsonNode reply) {
    return Base64.getDecoder().decode(reply.path("choices").path(0).path("message").path("audio").path("data").asText());
  }
}
