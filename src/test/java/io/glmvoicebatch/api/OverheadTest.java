package io.glmvoicebatch.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.Okio;
import org.junit.jupiter.api.Test;

/** Client CPU per item for 10 s clips: body writing plus reply parsing, no network. Target <= 2 ms. */
class OverheadTest {
  @Test
  void tenSecondClipCostsAFewMillisecondsAtMost() throws Exception {
    ChatRequest request = ChatRequest.builder().requestId("overhead-1").audio(Fixtures.wav(16000, 1, 160_000)).build();
    byte[] reply = Fixtures.reply(Fixtures.rawPcm(441_000), true).toString().getBytes();
    ClientSettings settings = Fixtures.settings("http://127.0.0.1:1/api/paas/v4").build();
    ReplyParser parser = new ReplyParser(settings.retryPolicy(), settings.credentials(),
        new ReplyAudioDecoder(settings.rawReplyFormat()));
    Request httpRequest = new Request.Builder().url(settings.chatCompletionsUrl()).build();
    int warmup = 200;
    int measured = 200;
    long write = 0;
    long parse = 0;
    for (int i = 0; i < warmup + measured; i++) {
      long t0 = System.nanoTime();
      ChatRequestBody body = new ChatRequestBody(request, "overhead-1");
      Buffer sink = new Buffer();
      body.writeTo(sink);
      assertEquals(body.contentLength(), sink.size());
      sink.clear();
      long t1 = System.nanoTime();
      Response response = new Response.Builder().request(httpRequest).protocol(Protocol.HTTP_1_1).code(200)
          .message("OK").body(ResponseBody.create(Okio.buffer(Okio.source(new ByteArrayInputStream(reply))),
              MediaType.get("application/json"), reply.length))
          .build();
      ReplyParser.Result r = parser.parse(response, "overhead-1");
      assertTrue(r.reply != null);
      if (i >= warmup) {
        write += t1 - t0;
        parse += System.nanoTime() - t1;
      }
    }
    double ms = TimeUnit.MILLISECONDS.toNanos(1);
    double writeMs = write / (double) measured / ms;
    double parseMs = parse / (double) measured / ms;
    double perItemMs = writeMs + parseMs;
    System.out.printf("client CPU per item: request body (10 s 16 kHz clip, 427 KB base64) %.3f ms,"
        + " reply (10 s 44.1 kHz raw PCM, 1.18 MB base64) %.3f ms%n", writeMs, parseMs);
    // Generous bound against noisy CI; the printed figure is what the report quotes.
    assertTrue(perItemMs < 10, "per item " + perItemMs + " ms");
  }
}
