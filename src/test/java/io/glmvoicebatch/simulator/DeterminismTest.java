package io.glmvoicebatch.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The same seed and the same requests give the same replies, faults and bills. */
class DeterminismTest {
  /** What must repeat: everything but the id, created time and the audio id's freshness. */
  static List<String> run(long seed) throws Exception {
    try (GlmVoiceSimulator sim =
        GlmVoiceSimulator.start(
            SimulatorConfig.builder()
                .seed(seed)
                .latency(LatencyModel.normal(Duration.ofMillis(5), Duration.ofMillis(2)))
                .faults(FaultPlan.builder().rate(FaultKind.SERVER_500, 0.3).build())
                .build())) {
      SimClient c = new SimClient(sim);
      List<String> out = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        ObjectNode body = SimClient.audioRequest(TestAudio.wavSeconds(1 + i % 3, 16_000), null);
        body.put("request_id", "det-item-" + i);
        SimClient.Reply r = c.post(body);
        if (r.status() != 200) {
          out.add(i + ":" + r.status());
          continue;
        }
        JsonNode j = r.json();
        JsonNode m = j.path("choices").path(0).path("message");
        out.add(
            i + ":" + m.path("content").asText() + "|" + m.path("audio").path("data").asText().hashCode() + "|"
                + m.path("audio").path("id").asText() + "|" + j.path("usage"));
      }
      out.add("billed=" + sim.stats().totalTokensBilled());
      return out;
    }
  }

  @Test
  void sameSeedSameOutcomes() throws Exception {
    assertEquals(run(42), run(42));
  }

  @Test
  void differentSeedDifferentOutcomes() throws Exception {
    assertNotEquals(run(42), run(43));
  }

  @Test
  void latencyModelsAreSeededAndShaped() {
    LatencyModel tail = LatencyModel.longTail(Duration.ofMillis(800), Duration.ofMillis(5000));
    java.util.SplittableRandom r = new java.util.SplittableRandom(1);
    long[] ms = new long[20_000];
    for (int i = 0; i < ms.length; i++) {
      ms[i] = tail.sample(r).toMillis();
    }
    java.util.Arrays.sort(ms);
    long median = ms[ms.length / 2];
    long p99 = ms[(int) (ms.length * 0.99)];
    org.junit.jupiter.api.Assertions.assertTrue(Math.abs(median - 800) < 60, "median " + median);
    org.junit.jupiter.api.Assertions.assertTrue(Math.abs(p99 - 5000) < 700, "p99 " + p99);
    assertEquals(
        LatencyModel.normal(Duration.ofMillis(800), Duration.ofMillis(200)).sample(new java.util.SplittableRandom(5)),
        LatencyModel.normal(Duration.ofMillis(800), Duration.ofMillis(200)).sample(new java.util.SplittableRandom(5)));
    assertEquals(Duration.ofMillis(300), LatencyModel.fixed(Duration.ofMillis(300)).sample(r));
  }
}
