package io.glmvoicebatch.api;

import java.io.ByteArrayInputStream;
import okhttp3.MediaType;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.Okio;

/**
 * The client's per-item work for 10 s clips, body writing plus reply parsing with no network: prints the
 * thread CPU time they take. A benchmark, not a test (it is not run by {@code mvn verify}): its figure
 * belongs in BENCHMARKS.md, and timing limits in unit tests flake on shared machines. Run by
 * benchmarks/client/bench.sh, or alone:
 * {@code mvn -q -B exec:java -Dexec.classpathScope=test -Dmain.class=io.glmvoicebatch.api.ClientOverheadBenchmark}.
 */
public final class ClientOverheadBenchmark {
  private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();

  private ClientOverheadBenchmark() {}

  public static void main(String[] args) throws Exception {
    ChatRequest request = ChatRequest.builder().requestId("overhead-1").audio(Fixtures.wav(16000, 1, 160_000)).build();
    byte[] reply = Fixtures.reply(Fixtures.rawPcm(441_000), true).toString().getBytes();
    ClientSettings settings = Fixtures.settings("http://127.0.0.1:1/api/paas/v4").build();
    ReplyParser parser = new ReplyParser(settings.retryPolicy(), settings.credentials(),
        new ReplyAudioDecoder(settings.rawReplyFormat()));
    Request httpRequest = new Request.Builder().url(settings.chatCompletionsUrl()).build();
    // Warm-up, then blocks: a block's mean is per-item thread CPU; on a shared host some blocks catch GC
    // or another process, so the median block is reported next to the best and worst.
    int warmup = 400;
    int blocks = 7;
    int perBlock = 100;
    double[] writeMs = new double[blocks];
    double[] parseMs = new double[blocks];
    for (int i = 0; i < warmup + blocks * perBlock; i++) {
      long t0 = CPU.getCurrentThreadCpuTime();
      ChatRequestBody body = new ChatRequestBody(request, "overhead-1");
      Buffer sink = new Buffer();
      body.writeTo(sink);
      if (body.contentLength() != sink.size()) {
        throw new IllegalStateException("request body of " + sink.size() + " bytes, announced " + body.contentLength());
      }
      sink.clear();
      long t1 = CPU.getCurrentThreadCpuTime();
      Response response = new Response.Builder().request(httpRequest).protocol(Protocol.HTTP_1_1).code(200)
          .message("OK").body(ResponseBody.create(Okio.buffer(Okio.source(new ByteArrayInputStream(reply))),
              MediaType.get("application/json"), reply.length))
          .build();
      ReplyParser.Result r = parser.parse(response, "overhead-1");
      if (r.reply == null) {
        throw new IllegalStateException("the reply did not parse: " + r.error);
      }
      if (i >= warmup) {
        int block = (i - warmup) / perBlock;
        writeMs[block] += (t1 - t0) / 1e6 / perBlock;
        parseMs[block] += (CPU.getCurrentThreadCpuTime() - t1) / 1e6 / perBlock;
      }
    }
    double[] total = new double[blocks];
    for (int b = 0; b < blocks; b++) {
      total[b] = writeMs[b] + parseMs[b];
    }
    double[] sorted = total.clone();
    java.util.Arrays.sort(sorted);
    int median = java.util.stream.IntStream.range(0, blocks).filter(b -> total[b] == sorted[blocks / 2]).findFirst()
        .orElse(0);
    double perItemMs = total[median];
    System.out.printf("client thread CPU per item (median of %d blocks of %d): request body (10 s 16 kHz clip, "
        + "427 KB base64) %.3f ms, reply (10 s 44.1 kHz raw PCM, 1.18 MB base64) %.3f ms, total %.3f ms "
        + "(blocks from %.3f to %.3f ms)%n", blocks, perBlock, writeMs[median], parseMs[median], perItemMs,
        sorted[0], sorted[blocks - 1]);
  }
}
