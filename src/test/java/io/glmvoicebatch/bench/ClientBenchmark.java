package io.glmvoicebatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glmvoicebatch.api.ApiCredentials;
import io.glmvoicebatch.api.CallOutcome;
import io.glmvoicebatch.api.ChatRequest;
import io.glmvoicebatch.api.ClientSettings;
import io.glmvoicebatch.api.GlmVoiceClient;
import io.glmvoicebatch.audio.AudioPreparer;
import io.glmvoicebatch.audio.NormalizerSettings;
import io.glmvoicebatch.cli.ExitCode;
import io.glmvoicebatch.cli.Main;
import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.ledger.LedgerView;
import io.glmvoicebatch.simulator.GlmVoiceSimulator;
import io.glmvoicebatch.simulator.LatencyModel;
import io.glmvoicebatch.simulator.SimulatorConfig;
import io.glmvoicebatch.simulator.SimulatorStats;
import io.glmvoicebatch.testing.TestWavs;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Client benchmark for benchmarks/client/bench.sh: slot use of the real pipeline (the CLI in-process)
 * against the simulator at the account's cap, and client CPU per item against a zero-latency simulator.
 * A program, not a test: {@code mvn verify} does not run it (no {@code @Test}, and surefire runs only
 * {@code *Test} classes). Run by benchmarks/client/bench.sh, or alone:
 * {@code mvn -q -B exec:java -Dexec.classpathScope=test -Dmain.class=io.glmvoicebatch.bench.ClientBenchmark -Dexec.args="cpu"}.
 *
 * <pre>
 *   slots [WORKDIR] [ITEMS] [CAPS] [LATENCIES_MS] [CLIP_SECONDS] [CLIP_RATE] [CLI ARGS...]
 *         defaults: /tmp/glm-client-bench 500 5,20 200,1000 10 44100
 *   client [WORKDIR] [ITEMS] [CAPS] [LATENCIES_MS] [CLIP_SECONDS] [WARMUP_ITEMS]
 *         defaults: /tmp/glm-client-bench 500 5,20 200,1000 10 100
 *   client-ext [WORKDIR] [ITEMS] [CAPS] [LATENCIES_MS] [CLIP_SECONDS] [WARMUP_ITEMS] [SIMULATOR_JVM_OPTIONS]
 *         defaults: /tmp/glm-client-bench 500 5,20 200,1000 10 0 -Xms2g,-XX:+AlwaysPreTouch
 *   cpu   [WORKDIR] [ITEMS] [CLIP_SECONDS]                        defaults: /tmp/glm-client-bench 300 10
 * </pre>
 *
 * <p>Slot use = achieved requests/s x mean server latency / cap, with the nominal latency (the simulator's
 * configured time from arrival to first byte) and with the latency the simulator measured (arrival to last
 * byte written, as an access log times a request). The nominal form is reported over two windows: the
 * "send window" (first request sent to last reply received, from the ledger: finished_at - latency_ms of
 * the first item, finished_at of the last) and the whole CLI run (JVM-warm pipeline start to exit,
 * including the prepare stage's head start and the tail).
 */
public final class ClientBenchmark {
  static final String KEY = "benchkey01.YmVuY2hzZWNyZXRiZW5jaHNlY3JldA";

  private static List<String> extraCliArgs = List.of();
  private static double atCapShare;
  private static double idleShare;

  private ClientBenchmark() {}

  public static void main(String[] args) throws Exception {
    Locale.setDefault(Locale.ROOT);
    String mode = args.length > 0 ? args[0] : "slots";
    Path work = Path.of(args.length > 1 ? args[1] : "/tmp/glm-client-bench");
    Files.createDirectories(work);
    System.out.printf("load average at start: %s (cores: %d)%n", loadAverage(), Runtime.getRuntime().availableProcessors());
    switch (mode) {
      case "slots" -> {
        // Anything after the 7th argument goes to the CLI as is (e.g. --targetParallelism=8).
        extraCliArgs = args.length > 7 ? List.of(args).subList(7, args.length) : List.of();
        slots(work, intArg(args, 2, 500), ints(arg(args, 3, "5,20")), ints(arg(args, 4, "200,1000")),
            intArg(args, 5, 10), intArg(args, 6, 44_100));
      }
      case "client" -> clientSlots(work, intArg(args, 2, 500), ints(arg(args, 3, "5,20")),
          ints(arg(args, 4, "200,1000")), intArg(args, 5, 10), intArg(args, 6, 100));
      case "client-ext" -> clientSlotsExternal(work, intArg(args, 2, 500), ints(arg(args, 3, "5,20")),
          ints(arg(args, 4, "200,1000")), intArg(args, 5, 10), intArg(args, 6, 0),
          arg(args, 7, "-Xms2g,-XX:+AlwaysPreTouch"));
      case "cpu" -> cpu(work, intArg(args, 2, 300), intArg(args, 3, 10));
      default -> throw new IllegalArgumentException("usage: slots|client|client-ext|cpu [WORKDIR] ...");
    }
    System.out.printf("load average at end: %s%n", loadAverage());
    System.exit(0); // the embedded Beam runner leaves non-daemon threads behind
  }

  private static String arg(String[] args, int i, String byDefault) {
    return args.length > i ? args[i] : byDefault;
  }

  private static int intArg(String[] args, int i, int byDefault) {
    return args.length > i ? Integer.parseInt(args[i]) : byDefault;
  }

  // ---------------------------------------------------------------------------------------------
  // slot use

  private static void slots(Path work, int items, int[] caps, int[] latencies, int clipSeconds, int clipRate)
      throws Exception {
    Path clip = work.resolve("speech-" + clipSeconds + "s-" + clipRate + "-mono.wav");
    writeSpeechLikeWav(clip, clipSeconds, clipRate);
    System.out.printf("clips: %d s, %d Hz mono 16-bit; extra CLI args: %s%n", clipSeconds, clipRate, extraCliArgs);
    Path manifest = manifest(work.resolve("manifest-" + items + "-" + clipSeconds + "s-" + clipRate + ".jsonl"), clip, items);
    // Warm-up: JIT, class loading, Beam's first pipeline construction; -Dbench.warmupItems=N sends N items
    // at the largest cap and shortest latency instead of 40 at cap 5 x 50 ms (see "JIT ms" in the client modes).
    int warmupItems = Integer.getInteger("bench.warmupItems", 0);
    Result warm = warmupItems > 0
        ? run(work, manifest(work.resolve("manifest-warm-" + warmupItems + ".jsonl"), clip, warmupItems),
            Arrays.stream(caps).max().orElse(5), Arrays.stream(latencies).min().orElse(200), "warmup")
        : run(work, manifest(work.resolve("manifest-warm.jsonl"), clip, 40), 5, 50, "warmup");
    System.out.printf("warm-up: %d items at cap %d x %d ms: slot use %.3f (server latency)%n", warm.items(), warm.cap(),
        warm.latencyMs(), warm.rps() * warm.meanServedS() / warm.cap());

    System.out.println();
    System.out.println("| cap | server latency | items | requests/s (send window) | slot use (send window) "
        + "| slot use (server latency) | slot time held | slot use (whole run) | client-side slot use | window at cap / idle (client) | 1302s sent | max in flight "
        + "| head s | tail s | load |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (int latency : latencies) {
      for (int cap : caps) {
        Result r = run(work, manifest, cap, latency, "c" + cap + "-l" + latency);
        System.out.println(r.row());
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // slot use of the client alone: requests already prepared, no Beam, no ledger

  /**
   * The client's share of slot use: {@code items} requests carrying one prepared {@code clipSeconds} clip
   * (16 kHz mono, as the pipeline sends it) submitted to {@link GlmVoiceClient} as fast as it accepts
   * them, against the simulator on loopback. Server-side slot use is measured by the simulator itself:
   * slot time its admitted requests held / (first admission to last release x cap).
   */
  private static void clientSlots(Path work, int items, int[] caps, int[] latencies, int clipSeconds, int warmupItems)
      throws Exception {
    byte[] wav = preparedClip(work, clipSeconds);
    System.out.printf("client alone: %d requests of a %d s clip (%d bytes of WAV) per row%n", items, clipSeconds, wav.length);
    // Warm-up: class loading, connection pool, JIT, at the largest cap and the shortest latency, so the
    // paths the rows take are the ones compiled (a 0 ms warm-up left seconds of JIT for the first rows).
    // The JIT column says whether a row still paid for compilation: after 100 warm-up items C1/C2 still
    // took a sixth of the 2 cores 9 s into a cap 20 x 200 ms row.
    int warmCap = Arrays.stream(caps).max().orElse(5);
    int warmLatency = Arrays.stream(latencies).min().orElse(200);
    System.out.printf("warm-up: %d items at cap %d, %d ms latency: %s%n", warmupItems, warmCap, warmLatency,
        clientRun(wav, warmupItems, warmCap, warmLatency));
    System.out.println();
    System.out.println("| cap | server latency | items | requests/s | slot use (nominal latency) | mean server latency "
        + "| slot use (server latency) | slot time held | 1302s sent | max in flight | JIT ms in row "
        + "| MB allocated per item (client + simulator) | load |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (int latency : latencies) {
      for (int cap : caps) {
        System.out.println(clientRun(wav, items, cap, latency));
      }
    }
  }

  /** A speech-like clip as the pipeline sends it (16 kHz mono WAV, normalized): what the client modes send. */
  private static byte[] preparedClip(Path work, int clipSeconds) throws Exception {
    Path clip = work.resolve("speech-" + clipSeconds + "s-16000-mono.wav");
    writeSpeechLikeWav(clip, clipSeconds, 16_000);
    return new AudioPreparer(NormalizerSettings.defaults()).prepare(clip).wavBytes();
  }

  private static String clientRun(byte[] wav, int items, int cap, int latencyMs) throws Exception {
    SimulatorConfig config = SimulatorConfig.builder().apiKey(KEY).maxInFlight(cap)
        .latency(LatencyModel.fixed(Duration.ofMillis(latencyMs))).build();
    try (GlmVoiceSimulator sim = GlmVoiceSimulator.start(config);
        GlmVoiceClient client = GlmVoiceClient.create(ClientSettings.builder().endpoint(sim.baseUrl())
            .credentials(ApiCredentials.rawKey(KEY)).maxInFlight(cap).build())) {
      // Only each call's timing is kept: holding 1,000 decoded replies (~0.9 MB each) made the old
      // generation grow and the collector copy them, which cost more CPU than the client itself.
      long jitBefore = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
      Map<Long, Long> allocatedBefore = allocatedBytesByThread();
      Sent sent = sendAll(client, wav, items, "bench");
      double allocatedMbPerItem = allocatedSince(allocatedBefore) / 1e6 / items;
      long notOk = sent.notOk();
      double rps = sent.requestsPerSecond();
      long jitMillis = ManagementFactory.getCompilationMXBean().getTotalCompilationTime() - jitBefore;
      SimulatorStats stats = sim.stats();
      return String.format("| %d | %d ms | %d | %.2f | **%.3f** | %.1f ms | **%.3f** | %.3f | %d | %d | %d | %.2f | %s |%s",
          cap, latencyMs, items, rps, rps * latencyMs / 1000.0 / cap, 1000 * stats.meanServedSeconds(),
          rps * stats.meanServedSeconds() / cap, stats.slotUse(cap), stats.tooManyRequestsSent(), stats.maxInFlight(),
          jitMillis, allocatedMbPerItem, loadAverage(), notOk == 0 ? "" : " NOT OK: " + notOk);
    }
  }

  /**
   * As {@link #clientSlots}, with the simulator in a JVM of its own (one per row, started with {@code
   * simJvmOptions}, comma-separated), as the real service is: this JVM compiles, allocates and collects for
   * the client alone. Each row first sends {@code warmupItems} items at its own cap and latency, whose
   * figures are reported too (the client's cold start when this JVM is fresh), then resets the simulator's
   * stats and sends the measured {@code items}. Both processes still share this machine's cores.
   */
  private static void clientSlotsExternal(Path work, int items, int[] caps, int[] latencies, int clipSeconds,
      int warmupItems, String simJvmOptions) throws Exception {
    byte[] wav = preparedClip(work, clipSeconds);
    Path keyFile = work.resolve("sim.key");
    Files.writeString(keyFile, KEY);
    System.out.printf("client alone, simulator in its own JVM (%s): %d warm-up + %d measured requests of a %d s "
        + "clip (%d bytes of WAV) per row; this JVM: %s%n", simJvmOptions, warmupItems, items, clipSeconds, wav.length,
        ManagementFactory.getRuntimeMXBean().getInputArguments());
    System.out.println();
    System.out.println("| cap | server latency | phase | items | requests/s | slot use (nominal latency) | mean server latency "
        + "| slot use (server latency) | slot time held | 1302s sent | max in flight | JIT ms | load |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (int latency : latencies) {
      for (int cap : caps) {
        List<String> options = simJvmOptions.isBlank() ? List.of() : List.of(simJvmOptions.split(","));
        Process sim = startSimulatorProcess(keyFile, cap, "fixed:" + latency, options);
        try {
          String baseUrl = readBaseUrl(sim);
          if (warmupItems > 0) {
            System.out.println(externalRun(wav, warmupItems, cap, latency, baseUrl, "warm-up"));
          }
          System.out.println(externalRun(wav, items, cap, latency, baseUrl, "measured"));
        } finally {
          sim.destroy();
          sim.waitFor(10, TimeUnit.SECONDS);
        }
      }
    }
  }

  private static String externalRun(byte[] wav, int items, int cap, int latencyMs, String baseUrl, String phase)
      throws Exception {
    postReset(baseUrl);
    long jitBefore = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
    Sent sent;
    try (GlmVoiceClient client = GlmVoiceClient.create(ClientSettings.builder().endpoint(baseUrl)
        .credentials(ApiCredentials.rawKey(KEY)).maxInFlight(cap).build())) {
      sent = sendAll(client, wav, items, phase);
    }
    long jitMillis = ManagementFactory.getCompilationMXBean().getTotalCompilationTime() - jitBefore;
    JsonNode stats = new ObjectMapper().readTree(URI.create(baseUrl).resolve("/simulator/stats").toURL());
    double rps = sent.requestsPerSecond();
    double served = stats.get("meanServedSeconds").asDouble();
    double slotUseHeld = stats.get("slotSecondsHeld").asDouble() / (stats.get("occupancyWindowSeconds").asDouble() * cap);
    return String.format("| %d | %d ms | %s | %d | %.2f | **%.3f** | %.1f ms | **%.3f** | %.3f | %d | %d | %d | %s |%s",
        cap, latencyMs, phase, items, rps, rps * latencyMs / 1000.0 / cap, 1000 * served, rps * served / cap, slotUseHeld,
        stats.get("tooManyRequestsSent").asLong(), stats.get("maxInFlight").asInt(), jitMillis, loadAverage(),
        sent.notOk() == 0 ? "" : " NOT OK: " + sent.notOk());
  }

  /** Bytes each live thread of this JVM has allocated so far (HotSpot's per-thread counters). */
  private static Map<Long, Long> allocatedBytesByThread() {
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long[] ids = threads.getAllThreadIds();
    long[] bytes = threads.getThreadAllocatedBytes(ids);
    Map<Long, Long> byThread = new java.util.HashMap<>();
    for (int i = 0; i < ids.length; i++) {
      byThread.put(ids[i], bytes[i]);
    }
    return byThread;
  }

  /** Allocated since {@code before} by the threads alive now; threads that ended in between are missed. */
  private static long allocatedSince(Map<Long, Long> before) {
    long sum = 0;
    for (Map.Entry<Long, Long> e : allocatedBytesByThread().entrySet()) {
      if (e.getValue() > 0) {
        sum += e.getValue() - before.getOrDefault(e.getKey(), 0L);
      }
    }
    return sum;
  }

  /** What a batch of calls gave: the send window (first request sent to last reply) and the outcomes. */
  record Sent(double windowSeconds, long ok, long notOk) {
    double requestsPerSecond() {
      return ok / windowSeconds;
    }
  }

  /** Submits {@code items} requests and waits for all of them. */
  private static Sent sendAll(GlmVoiceClient client, byte[] wav, int items, String idPrefix) throws Exception {
    List<CompletableFuture<Timing>> calls = new ArrayList<>(items);
    for (int i = 0; i < items; i++) {
      calls.add(client.submit(ChatRequest.builder().requestId(String.format("%s-%06d", idPrefix, i)).audio(wav)
          .params(io.glmvoicebatch.manifest.RequestParams.prompt("Answer briefly.")).build()).thenApply(Timing::of));
    }
    Instant first = null;
    Instant last = null;
    long notOk = 0;
    for (CompletableFuture<Timing> f : calls) {
      Timing o = f.get(10, TimeUnit.MINUTES);
      if (!o.ok()) {
        notOk++;
        continue;
      }
      first = first == null || o.startedAt().isBefore(first) ? o.startedAt() : first;
      last = last == null || o.finishedAt().isAfter(last) ? o.finishedAt() : last;
    }
    return new Sent(Duration.between(first, last).toNanos() / 1e9, items - notOk, notOk);
  }

  private static void postReset(String baseUrl) throws IOException {
    var c = (HttpURLConnection) URI.create(baseUrl).resolve("/simulator/reset").toURL().openConnection();
    c.setRequestMethod("POST");
    c.setDoOutput(true);
    c.getOutputStream().close();
    if (c.getResponseCode() != 200) {
      throw new IOException("simulator reset: HTTP " + c.getResponseCode());
    }
    c.getInputStream().transferTo(OutputStream.nullOutputStream());
  }

  /** What the benchmark needs of an outcome, without its reply audio. */
  record Timing(boolean ok, Instant startedAt, Instant finishedAt) {
    static Timing of(CallOutcome o) {
      return new Timing(o.ok(), o.startedAt(), o.finishedAt());
    }
  }

  record Result(int cap, int latencyMs, int items, double sendWindowS, double wholeRunS, long requests,
      double clientBusyS, long tooMany, long rejections, int maxInFlight, double headS, double tailS,
      String load, long notOk, double atCap, double idle, double serverSlotUse, double meanServedS) {
    double rps() {
      return requests / sendWindowS;
    }

    double slotUse() {
      return rps() * (latencyMs / 1000.0) / cap;
    }

    double slotUseWhole() {
      return requests / wholeRunS * (latencyMs / 1000.0) / cap;
    }

    double clientSlotUse() {
      return clientBusyS / (sendWindowS * cap);
    }

    String row() {
      return String.format("| %d | %d ms | %d | %.2f | **%.3f** | **%.3f** | %.3f | %.3f | %.3f | %.0f%% / %.0f%% | %d (over cap: %d) | %d | %.1f | %.1f | %s |%s",
          cap, latencyMs, items, rps(), slotUse(), rps() * meanServedS / cap, serverSlotUse, slotUseWhole(), clientSlotUse(), 100 * atCap, 100 * idle, tooMany,
          rejections, maxInFlight, headS, tailS, load, notOk == 0 ? "" : " NOT OK: " + notOk);
    }
  }

  private static Result run(Path work, Path manifest, int cap, int latencyMs, String name) throws Exception {
    SimulatorConfig config = SimulatorConfig.builder().apiKey(KEY).maxInFlight(cap)
        .latency(LatencyModel.fixed(Duration.ofMillis(latencyMs))).build();
    Path out = work.resolve("out-" + name);
    deleteTree(out);
    try (GlmVoiceSimulator sim = GlmVoiceSimulator.start(config)) {
      long t0 = System.nanoTime();
      Instant start = Instant.now();
      ExitCode code = runCli(manifest, out, sim.baseUrl(), cap);
      double whole = (System.nanoTime() - t0) / 1e9;
      Instant end = Instant.now();
      if (code != ExitCode.ALL_DONE) {
        throw new IllegalStateException(name + ": exit " + code);
      }
      SimulatorStats stats = sim.stats();
      LedgerView ledger = LedgerView.read(out.resolve("ledger.jsonl"));
      Instant firstSend = null;
      Instant lastReply = null;
      double busy = 0;
      long notOk = 0;
      for (LedgerRecord r : ledger.latest().values()) {
        if (!r.isOk()) {
          notOk++;
          continue;
        }
        Instant finished = Instant.parse(r.call().finishedAt());
        Instant sent = finished.minusMillis(r.call().latencyMs());
        busy += r.call().latencyMs() / 1000.0;
        firstSend = firstSend == null || sent.isBefore(firstSend) ? sent : firstSend;
        lastReply = lastReply == null || finished.isAfter(lastReply) ? finished : lastReply;
      }
      double window = Duration.between(firstSend, lastReply).toNanos() / 1e9;
      // Client-side in-flight timeline at 10 ms resolution: share of the window with all permits in use.
      int slots = (int) Math.ceil(window * 100) + 1;
      int[] inFlight = new int[slots];
      for (LedgerRecord r : ledger.latest().values()) {
        if (r.isOk()) {
          Instant finished = Instant.parse(r.call().finishedAt());
          int from = (int) (Duration.between(firstSend, finished.minusMillis(r.call().latencyMs())).toMillis() / 10);
          int to = (int) (Duration.between(firstSend, finished).toMillis() / 10);
          for (int k = Math.max(0, from); k < Math.min(slots, to); k++) {
            inFlight[k]++;
          }
        }
      }
      long atCap = Arrays.stream(inFlight).filter(v -> v >= cap).count();
      long idle = Arrays.stream(inFlight).filter(v -> v == 0).count();
      atCapShare = (double) atCap / slots;
      idleShare = (double) idle / slots;
      return new Result(cap, latencyMs, ledger.latest().size(), window, whole, stats.requests(), busy,
          stats.tooManyRequestsSent(), stats.concurrencyRejections(), stats.maxInFlight(),
          Duration.between(start, firstSend).toNanos() / 1e9, Duration.between(lastReply, end).toNanos() / 1e9,
          loadAverage(), notOk, atCapShare, idleShare, stats.slotUse(cap), stats.meanServedSeconds());
    }
  }

  private static ExitCode runCli(Path manifest, Path out, String endpoint, int cap) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    List<String> args = new ArrayList<>(List.of("--manifest=" + manifest, "--outputDir=" + out, "--endpoint=" + endpoint,
        "--maxInFlight=" + cap, "--report=false", "--progressIntervalSeconds=3600"));
    args.addAll(extraCliArgs);
    ExitCode code = Main.run(args.toArray(String[]::new),
        Map.of("ZHIPUAI_API_KEY", KEY), new PrintStream(o, true, StandardCharsets.UTF_8),
        new PrintStream(e, true, StandardCharsets.UTF_8));
    if (code != ExitCode.ALL_DONE) {
      System.err.println(o.toString(StandardCharsets.UTF_8));
      System.err.println(e.toString(StandardCharsets.UTF_8));
    }
    return code;
  }

  // ---------------------------------------------------------------------------------------------
  // CPU per item

  /**
   * Client CPU per item: the simulator runs in its own JVM (zero latency, cap 20) so this process's CPU
   * time is the client's alone: Beam, preparation, request encoding, reply parsing and decoding, ledger.
   * A dry run of the same items (decode + normalize, nothing sent) splits preparation from the call.
   */
  private static void cpu(Path work, int items, int clipSeconds) throws Exception {
    Path clip = work.resolve("speech-" + clipSeconds + "s-44100-mono.wav");
    writeSpeechLikeWav(clip, clipSeconds, 44_100);
    Path manifest = manifest(work.resolve("manifest-cpu-" + items + ".jsonl"), clip, items);
    Path keyFile = work.resolve("sim.key");
    Files.writeString(keyFile, KEY);
    int cap = 20;
    Process sim = startSimulatorProcess(keyFile, cap);
    try {
      String baseUrl = readBaseUrl(sim);
      var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      // Warm-up (JIT) with both kinds of run.
      runCliOrFail(manifest(work.resolve("manifest-cpu-warm.jsonl"), clip, 60), work.resolve("cpu-warm"), baseUrl, cap, false);
      runCliOrFail(manifest(work.resolve("manifest-cpu-warm.jsonl"), clip, 60), work.resolve("cpu-warm-dry"), baseUrl, cap, true);
      System.out.println();
      System.out.println("| run | items | wall s | process CPU s | CPU ms/item | simulator CPU ms/item | load |");
      System.out.println("|---|---|---|---|---|---|---|");
      double[] perItem = new double[2];
      for (int round = 0; round < 2; round++) {
        for (boolean dry : new boolean[] {true, false}) {
          long cpu0 = os.getProcessCpuTime();
          long simCpu0 = processCpuNanos(sim);
          long t0 = System.nanoTime();
          runCliOrFail(manifest, work.resolve("cpu-" + (dry ? "dry" : "full") + "-" + round), baseUrl, cap, dry);
          double wall = (System.nanoTime() - t0) / 1e9;
          double cpuS = (os.getProcessCpuTime() - cpu0) / 1e9;
          double ms = cpuS * 1000 / items;
          double simMs = (processCpuNanos(sim) - simCpu0) / 1e6 / items;
          if (round == 1) {
            perItem[dry ? 0 : 1] = ms;
          }
          System.out.printf("| %s (round %d) | %d | %.1f | %.1f | %.1f | %.1f | %s |%n",
              dry ? "dry run: prepare only" : "full: prepare + call", round + 1, items, wall, cpuS, ms, simMs,
              loadAverage());
        }
      }
      System.out.printf("%nclient CPU per item (round 2): %.1f ms total, of which prepare (dry run) %.1f ms and "
          + "call + reply + ledger %.1f ms (%d s clips, 44.1 kHz mono 16-bit)%n",
          perItem[1], perItem[0], perItem[1] - perItem[0], clipSeconds);
    } finally {
      sim.destroy();
      sim.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** The simulator process's CPU time so far (user + system), from the OS. */
  private static long processCpuNanos(Process p) {
    return p.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
  }

  private static void runCliOrFail(Path manifest, Path out, String endpoint, int cap, boolean dry) throws IOException {
    deleteTree(out);
    List<String> args = new ArrayList<>(List.of("--manifest=" + manifest, "--outputDir=" + out, "--endpoint=" + endpoint,
        "--maxInFlight=" + cap, "--report=false", "--progressIntervalSeconds=3600"));
    if (dry) {
      args.add("--dryRun=true");
    }
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    ExitCode code = Main.run(args.toArray(String[]::new), Map.of("ZHIPUAI_API_KEY", KEY),
        new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
    if (code != ExitCode.ALL_DONE) {
      throw new IllegalStateException("exit " + code + "\n" + o.toString(StandardCharsets.UTF_8) + "\n"
          + e.toString(StandardCharsets.UTF_8));
    }
  }

  private static Process startSimulatorProcess(Path keyFile, int cap) throws IOException {
    return startSimulatorProcess(keyFile, cap, "fixed:0", List.of("-Xmx1g"));
  }

  private static Process startSimulatorProcess(Path keyFile, int cap, String latency, List<String> jvmOptions)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-cp", classPath(), "io.glmvoicebatch.simulator.SimulatorMain", "--port=0",
        "--maxInFlight=" + cap, "--latency=" + latency, "--apiKeyFile=" + keyFile));
    return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  private static String readBaseUrl(Process sim) throws IOException {
    BufferedReader r = new BufferedReader(new InputStreamReader(sim.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = r.readLine()) != null) {
      if (line.startsWith("http://")) {
        Thread drain = new Thread(() -> {
          try {
            r.transferTo(java.io.Writer.nullWriter());
          } catch (IOException ignored) {
            // the process ended
          }
        });
        drain.setDaemon(true);
        drain.start();
        return line.trim();
      }
    }
    throw new IOException("simulator exited before printing its URL");
  }

  /** Under exec:java the project's classpath is the context class loader's, not java.class.path. */
  private static String classPath() {
    ClassLoader cl = Thread.currentThread().getContextClassLoader();
    List<String> entries = new ArrayList<>();
    while (cl != null) {
      if (cl instanceof URLClassLoader u) {
        for (URL url : u.getURLs()) {
          try {
            entries.add(Path.of(url.toURI()).toString());
          } catch (Exception e) {
            entries.add(url.getPath());
          }
        }
      }
      cl = cl.getParent();
    }
    if (entries.isEmpty()) {
      return System.getProperty("java.class.path");
    }
    return String.join(File.pathSeparator, entries);
  }

  // ---------------------------------------------------------------------------------------------
  // inputs

  private static Path manifest(Path file, Path clip, int items) throws IOException {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < items; i++) {
      lines.add("{\"id\":\"item-" + i + "\",\"audio\":\"" + clip.toAbsolutePath() + "\",\"prompt\":\"Answer item "
          + i + " briefly.\"}");
    }
    Files.write(file, lines, StandardCharsets.UTF_8);
    return file;
  }

  /**
   * A speech-like mono 16-bit WAV: a glottal pulse train (100-180 Hz) through three formant resonators,
   * in 4 Hz syllables with short pauses that stay above the -50 dBFS silence threshold (nothing trimmed).
   */
  static void writeSpeechLikeWav(Path file, int seconds, int rate) throws IOException {
    if (Files.exists(file)) {
      return;
    }
    int n = seconds * rate;
    short[] pcm = new short[n];
    Random random = new Random(7);
    double[][] formants = {{700, 110}, {1220, 120}, {2600, 160}};
    double[] y1 = new double[3];
    double[] y2 = new double[3];
    double phase = 0;
    for (int i = 0; i < n; i++) {
      double t = (double) i / rate;
      double f0 = 140 + 40 * Math.sin(2 * Math.PI * 0.7 * t);
      phase += f0 / rate;
      double source = 0;
      if (phase >= 1) {
        phase -= 1;
        source = 1;
      }
      source += 0.02 * random.nextGaussian();
      double s = 0;
      for (int k = 0; k < 3; k++) {
        double r = Math.exp(-Math.PI * formants[k][1] / rate);
        double c = 2 * r * Math.cos(2 * Math.PI * formants[k][0] / rate);
        double y = source + c * y1[k] - r * r * y2[k];
        y2[k] = y1[k];
        y1[k] = y;
        s += y / (k + 1);
      }
      double syllable = 0.55 + 0.45 * Math.sin(2 * Math.PI * 4 * t);
      pcm[i] = (short) Math.max(-32768, Math.min(32767, s * syllable * 900));
    }
    Files.createDirectories(file.getParent());
    Files.write(file, TestWavs.pcm16(rate, 1, pcm));
  }

  // ---------------------------------------------------------------------------------------------

  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim().split(" ")[0];
    } catch (IOException e) {
      return String.format("%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
  }

  private static int[] ints(String csv) {
    return Stream.of(csv.split(",")).mapToInt(Integer::parseInt).toArray();
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).collect(Collectors.toList())) {
        Files.delete(p);
      }
    }
  }
}
