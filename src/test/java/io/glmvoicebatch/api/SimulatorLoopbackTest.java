package io.glmvoicebatch.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.glmvoicebatch.simulator.FaultKind;
import io.glmvoicebatch.simulator.FaultPlan;
import io.glmvoicebatch.simulator.GlmVoiceSimulator;
import io.glmvoicebatch.simulator.LatencyModel;
import io.glmvoicebatch.simulator.ReplyAudioForm;
import io.glmvoicebatch.simulator.SimulatorConfig;
import io.glmvoicebatch.simulator.SimulatorStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The client against the project's service simulator over loopback HTTP. */
class SimulatorLoopbackTest {

  private static SimulatorConfig.Builder sim() {
    return SimulatorConfig.builder()
        .apiKey(Fixtures.KEY)
        .latency(LatencyModel.fixed(Duration.ofMillis(200)))
        .replySpeech(Duration.ofMillis(300), Duration.ofMillis(600));
  }

  /** Submits {@code items} requests at once and waits for every outcome, in order. */
  static List<CallOutcome> runBatch(GlmVoiceClient client, int items, String prefix) throws Exception {
    List<CompletableFuture<CallOutcome>> futures = new ArrayList<>();
    for (int i = 0; i < items; i++) {
      futures.add(client.submit(Fixtures.request(String.format("%s-%04d", prefix, i))));
    }
    List<CallOutcome> out = new ArrayList<>();
    for (CompletableFuture<CallOutcome> f : futures) {
      out.add(f.get(60, TimeUnit.SECONDS));
    }
    return out;
  }

  private static long billed(List<CallOutcome> outcomes) {
    return outcomes.stream().filter(o -> o.usage() != null).mapToLong(o -> o.usage().totalTokens()).sum();
  }

  @Test
  void keepsExactlyTheCapInFlightAndNeverMore() throws Exception {
    try (GlmVoiceSimulator simulator = GlmVoiceSimulator.start(sim().maxInFlight(5).build());
        GlmVoiceClient client = GlmVoiceClient.create(Fixtures.settings(simulator.baseUrl()).maxInFlight(5).build())) {
      List<CallOutcome> outcomes = runBatch(client, 30, "cap");
      SimulatorStats stats = simulator.stats();
      assertTrue(outcomes.stream().allMatch(CallOutcome::ok), outcomes.toString());
      assertTrue(outcomes.stream().allMatch(o -> o.attempts() == 1), outcomes.toString());
      assertEquals(5, stats.maxInFlight(), stats.toString());
      assertEquals(0, stats.tooManyRequestsSent(), stats.toString());
      assertEquals(stats.totalTokensBilled(), billed(outcomes));
      assertEquals(0, client.inFlight());
    }
  }

  @Test
  void adaptiveLimitConvergesWhenAnotherProgramSharesTheKey() throws Exception {
    // Account cap 5, another program holds 2: we may only have 3 in flight.
    try (GlmVoiceSimulator simulator = GlmVoiceSimulator.start(sim().maxInFlight(5).reservedForOthers(2).build());
        GlmVoiceClient client = GlmVoiceClient.create(Fixtures.settings(simulator.baseUrl()).maxInFlight(5).build())) {
      List<CallOutcome> outcomes = runBatch(client, 30, "aimd");
      SimulatorStats stats = simulator.stats();
      assertTrue(outcomes.stream().allMatch(CallOutcome::ok), outcomes.toString());
      assertTrue(client.currentLimit() <= 3, "limit " + client.currentLimit());
      // Only the first window overshoots: after one decrease no further 1302s.
      assertTrue(stats.tooManyRequestsSent() <= 2, stats.toString());
      assertEquals(stats.totalTokensBilled(), billed(outcomes));
    }
  }

  @Test
  void ridesOutTransientFaults() throws Exception {
    SimulatorConfig config = sim().maxInFlight(5).latency(LatencyModel.fixed(Duration.ofMillis(50)))
        .faults(FaultPlan.builder()
            .rate(FaultKind.SERVER_500, 0.08)
            .rate(FaultKind.OVERLOADED_1305, 0.08)
            .rate(FaultKind.HTML_502, 0.08)
            .rate(FaultKind.DROP_CONNECTION_MID_BODY, 0.08)
            .rate(FaultKind.CONCURRENCY_1302_BURST, 0.04)
            .build())
        .build();
    ClientSettings settings = Fixtures.settings("http://127.0.0.1:1/api/paas/v4").build();
    try (GlmVoiceSimulator simulator = GlmVoiceSimulator.start(config);
        GlmVoiceClient client = GlmVoiceClient.create(settings.toBuilder().endpoint(simulator.baseUrl())
            .retryPolicy(RetryPolicy.builder().maxAttempts(10).baseDelay(Duration.ofMillis(10))
                .maxDelay(Duration.ofMillis(80)).build())
            .build())) {
      List<CallOutcome> outcomes = runBatch(client, 40, "faults");
      // A 200 dropped mid-body was billed: that item is uncertain after its one attempt, never retried.
      long dropped = simulator.stats().droppedConnections();
      assertTrue(dropped > 0, "the fault plan should have dropped someone's reply");
      assertEquals(dropped, outcomes.stream().filter(CallOutcome::uncertain).count(), outcomes.toString());
      assertTrue(outcomes.stream().allMatch(o -> o.ok() || o.uncertain() && o.error().httpStatus() == 200),
          outcomes.toString());
      assertTrue(outcomes.stream().anyMatch(o -> o.ok() && o.attempts() > 1), "the fault plan should have hit someone");
      assertTrue(simulator.stats().maxInFlight() <= 5);
    }
  }

  @Test
  void arrearsStopsTheBatch() throws Exception {
    SimulatorConfig config = sim().maxInFlight(2).faults(FaultPlan.builder().arrearsAfterTokens(1).build()).build();
    try (GlmVoiceSimulator simulator = GlmVoiceSimulator.start(config);
        GlmVoiceClient client = GlmVoiceClient.create(Fixtures.settings(simulator.baseUrl()).maxInFlight(2).build())) {
      List<CallOutcome> outcomes = runBatch(client, 12, "arrears");
      assertTrue(client.batchStopped());
      assertEquals("1113", client.stopReason().code());
      long stopped = outcomes.stream().filter(o -> !o.ok() && o.error().code().equals(ApiError.BATCH_STOPPED)).count();
      long arrears = outcomes.stream().filter(o -> !o.ok() && o.error().code().equals("1113")).count();
      long ok = outcomes.stream().filter(CallOutcome::ok).count();
      assertEquals(12, stopped + arrears + ok, outcomes.toString());
      assertTrue(arrears >= 1 && stopped >= 8, outcomes.toString());
      assertTrue(simulator.stats().requests() <= 12 - stopped);
    }
  }

  @Test
  void jwtAuthAndBothReplyAudioForms() throws Exception {
    for (ReplyAudioForm form : ReplyAudioForm.values()) {
      try (GlmVoiceSimulator simulator = GlmVoiceSimulator.start(sim().replyAudioForm(form).build());
          GlmVoiceClient client = GlmVoiceClient.create(Fixtures.settings(simulator.baseUrl())
              .credentials(ApiCredentials.jwt(Fixtures.KEY, Duration.ofMinutes(5))).build())) {
        List<CallOutcome> outcomes = runBatch(client, 3, "jwt-" + form.name().toLowerCase());
        for (CallOutcome o : outcomes) {
          assertTrue(o.ok(), o.toString());
          ReplyAudio audio = o.reply().audio();
          assertEquals(form == ReplyAudioForm.WAV ? "wav" : "raw_pcm", audio.wireForm());
          assertEquals(form == ReplyAudioForm.WAV ? 22_050 : 44_100, audio.sampleRate());
          assertTrue(audio.seconds() >= 0.25 && audio.seconds() <= 0.7, audio.toString());
        }
      }
    }
  }
}
