package io.glmvoicebatch.cli;

import io.glmvoicebatch.api.ApiCredentials;
import io.glmvoicebatch.pipeline.VoiceBatchOptions;
import io.glmvoicebatch.simulator.FaultPlan;
import io.glmvoicebatch.simulator.GlmVoiceSimulator;
import io.glmvoicebatch.simulator.LatencyModel;
import io.glmvoicebatch.simulator.ReplyAudioForm;
import io.glmvoicebatch.simulator.SimulatorConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The simulator the CLI starts when no API key is set. It gets a fresh random key, so the client's
 * authentication is exercised exactly as against the real service, and the tier's cap, so 1302 behaves
 * as the account would.
 */
final class EmbeddedSimulator implements AutoCloseable {
  private final GlmVoiceSimulator simulator;
  private final ApiCredentials credentials;

  private EmbeddedSimulator(GlmVoiceSimulator simulator, ApiCredentials credentials) {
    this.simulator = simulator;
    this.credentials = credentials;
  }

  static EmbeddedSimulator start(VoiceBatchOptions o, int cap) throws UsageException {
    byte[] secret = new byte[16];
    new SecureRandom().nextBytes(secret);
    String key = "sim" + HexFormat.of().formatHex(secret, 0, 4) + "." + HexFormat.of().formatHex(secret, 4, 16);
    ReplyAudioForm form = switch (o.getSimulatorReplyAudio().toLowerCase(Locale.ROOT)) {
      case "raw" -> ReplyAudioForm.RAW_PCM_44K;
      case "wav" -> ReplyAudioForm.WAV;
      default -> throw new UsageException("--simulatorReplyAudio=" + o.getSimulatorReplyAudio() + ": use raw or wav");
    };
    double faultRate = o.getSimulatorFaultRate();
    if (!(faultRate >= 0 && faultRate <= 1)) {
      throw new UsageException("--simulatorFaultRate must be in [0, 1], got " + faultRate);
    }
    int latency = OptionsParser.positive(o.getSimulatorLatencyMs(), "simulatorLatencyMs");
    SimulatorConfig config = SimulatorConfig.builder()
        .maxInFlight(cap)
        .apiKey(key)
        .latency(LatencyModel.normal(Duration.ofMillis(latency), Duration.ofMillis(latency / 4)))
        .seed(o.getSimulatorSeed())
        .replyAudioForm(form)
        .faults(faultRate > 0 ? FaultPlan.transientFaults(faultRate) : FaultPlan.none())
        .build();
    try {
      return new EmbeddedSimulator(GlmVoiceSimulator.start(config), ApiCredentials.rawKey(key));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the embedded simulator: " + e.getMessage(), e);
    }
  }

  String baseUrl() {
    return simulator.baseUrl();
  }

  ApiCredentials credentials() {
    return credentials;
  }

  @Override
  public void close() {
    simulator.close();
  }
}
