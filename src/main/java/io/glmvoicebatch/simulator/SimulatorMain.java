package io.glmvoicebatch.simulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the simulator on its own until Ctrl-C.
 *
 * <pre>
 * --host=127.0.0.1 --port=8765 --maxInFlight=5 --reservedForOthers=0
 * --latencyMs=800                      normal(800 ms, 200 ms); or
 * --latency=fixed:300 | normal:800,200 | longtail:800,5000
 * --replyAudio=raw|wav --wavRate=22050 --apiKeyFile=path (file holding id.secret)
 * --faultRate=0.1                      spread over the transient faults; and/or
 * --fault=SERVER_500:0.05              repeatable, any FaultKind with a rate
 * --arrearsAfterTokens=N --sensitiveMarker=[[unsafe]] --seed=42 --rejectDuplicateRequestIds
 * </pre>
 */
public final class SimulatorMain {
  private SimulatorMain() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    SimulatorConfig config;
    try {
      config = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.err.println(usage());
      System.exit(2);
      return;
    }
    GlmVoiceSimulator simulator = GlmVoiceSimulator.start(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("stopping; final stats: " + simulator.stats());
                  simulator.close();
                  stopped.countDown();
                }));
    System.out.println(simulator.baseUrl());
    System.out.println("stats: http://" + config.host() + ":" + simulator.port() + "/simulator/stats");
    System.out.flush();
    stopped.await();
  }

  static SimulatorConfig parse(String[] args) throws IOException {
    SimulatorConfig.Builder b = SimulatorConfig.builder().port(8765); // a stable port for humans
    FaultPlan.Builder faults = FaultPlan.builder();
    double faultRate = 0;
    for (String arg : args) {
      if (arg.equals("--help") || arg.equals("-h")) {
        System.out.println(usage());
        System.exit(0);
      }
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument " + arg);
      }
      int eq = arg.indexOf('=');
      String name = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
      String value = eq < 0 ? "" : arg.substring(eq + 1);
      switch (name) {
        case "host" -> b.host(value);
        case "port" -> b.port(Integer.parseInt(value));
        case "maxInFlight" -> b.maxInFlight(Integer.parseInt(value));
        case "reservedForOthers" -> b.reservedForOthers(Integer.parseInt(value));
        case "latencyMs" -> {
          long ms = Long.parseLong(value);
          b.latency(LatencyModel.normal(Duration.ofMillis(ms), Duration.ofMillis(ms / 4)));
        }
        case "latency" -> b.latency(latency(value));
        case "replyAudio" -> b.replyAudioForm(
            switch (value.toLowerCase(Locale.ROOT)) {
              case "raw" -> ReplyAudioForm.RAW_PCM_44K;
              case "wav" -> ReplyAudioForm.WAV;
              default -> throw new IllegalArgumentException("--replyAudio must be raw or wav");
            });
        case "wavRate" -> b.wavSampleRate(Integer.parseInt(value));
        case "apiKeyFile" -> b.apiKey(Files.readString(Path.of(value), StandardCharsets.UTF_8).trim());
        case "faultRate" -> faultRate = Double.parseDouble(value);
        case "fault" -> {
          String[] kv = value.split(":", 2);
          if (kv.length != 2) {
            throw new IllegalArgumentException("--fault needs KIND:rate, got " + value);
          }
          faults.rate(FaultKind.valueOf(kv[0].toUpperCase(Locale.ROOT)), Double.parseDouble(kv[1]));
        }
        case "arrearsAfterTokens" -> faults.arrearsAfterTokens(Long.parseLong(value));
        case "sensitiveMarker" -> faults.sensitiveMarker(value.isEmpty() ? null : value);
        case "seed" -> b.seed(Long.parseLong(value));
        case "rejectDuplicateRequestIds" -> b.rejectDuplicateRequestIds(true);
        default -> throw new IllegalArgumentException("unknown option --" + name);
      }
    }
    if (faultRate > 0) {
      FaultPlan spread = FaultPlan.transientFaults(faultRate);
      spread.rates().forEach((kind, rate) -> faults.rate(kind, rate));
    }
    return b.faults(faults.build()).build();
  }

  private static LatencyModel latency(String spec) {
    String[] kindArgs = spec.split(":", 2);
    String[] ms = kindArgs.length > 1 ? kindArgs[1].split(",") : new String[0];
    try {
      return switch (kindArgs[0]) {
        case "fixed" -> LatencyModel.fixed(Duration.ofMillis(Long.parseLong(ms[0])));
        case "normal" -> LatencyModel.normal(
            Duration.ofMillis(Long.parseLong(ms[0])), Duration.ofMillis(Long.parseLong(ms[1])));
        case "longtail" -> LatencyModel.longTail(
            Duration.ofMillis(Long.parseLong(ms[0])), Duration.ofMillis(Long.parseLong(ms[1])));
        default -> throw new IllegalArgumentException("unknown latency kind " + kindArgs[0]);
      };
    } catch (ArrayIndexOutOfBoundsException e) {
      throw new IllegalArgumentException("--latency needs fixed:MS | normal:MEAN,SD | longtail:MEDIAN,P99");
    }
  }

  private static String usage() {
    StringBuilder kinds = new StringBuilder("  fault kinds:");
    int rowStart = 0;
    for (FaultKind kind : FaultKind.values()) {
      if (kinds.length() - rowStart + 1 + kind.name().length() > 79) { // rows fit an 80-column terminal
        kinds.append("\n   ");
        rowStart = kinds.length() - 3;
      }
      kinds.append(' ').append(kind.name());
    }
    return "usage: glm-voice-batch simulator [--host=127.0.0.1] [--port=8765]\n"
        + "  [--maxInFlight=5] [--reservedForOthers=0]\n"
        + "  [--latencyMs=800 | --latency=fixed:MS|normal:MEAN,SD|longtail:MEDIAN,P99]\n"
        + "  [--replyAudio=raw|wav] [--wavRate=22050] [--apiKeyFile=PATH] [--seed=42]\n"
        + "  [--faultRate=0.1] [--fault=KIND:RATE ...] [--arrearsAfterTokens=N]\n"
        + "  [--sensitiveMarker=TEXT] [--rejectDuplicateRequestIds]\n"
        + kinds;
  }
}
