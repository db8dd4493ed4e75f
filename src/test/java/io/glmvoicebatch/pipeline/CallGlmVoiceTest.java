package io.glmvoicebatch.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.glmvoicebatch.api.ApiCredentials;
import io.glmvoicebatch.api.ClientSettings;
import io.glmvoicebatch.audio.NormalizerSettings;
import io.glmvoicebatch.ledger.Cost;
import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.ledger.LedgerWriter;
import io.glmvoicebatch.ledger.OutputFolder;
import io.glmvoicebatch.ledger.ResumeIndex;
import io.glmvoicebatch.ledger.RunTally;
import io.glmvoicebatch.manifest.ManifestItem;
import io.glmvoicebatch.manifest.RequestParams;
import io.glmvoicebatch.simulator.GlmVoiceSimulator;
import io.glmvoicebatch.simulator.LatencyModel;
import io.glmvoicebatch.simulator.SimulatorConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fused call stage on its own: a slice of manifest items in, audio prepared just in time, requests sent through
 * the real client to the simulator over loopback, ledger lines written; only segment records come out.
 */
class CallGlmVoiceTest {
  static final String KEY = "calltest1.c2VjcmV0c2VjcmV0";
  static final Path LONG_CLIP = Path.of("sample-data/clips/zh-triangle-angles.wav").toAbsolutePath();
  static final Path SHORT_CLIP = Path.of("sample-data/clips/en-circle-area.wav").toAbsolutePath();
  @TempDir Path out;

  @Test
  void preparesAndSendsEachItemOutputsOnlySegmentsAndMarksLastRunsInFlightItemUncertainFirst() throws Exception {
    OutputFolder folder = new OutputFolder(out);
    ItemLedger ledger = new ItemLedger(folder, Cost.DEFAULT_PRICE_PER_MILLION_TOKENS, "RMB", true);
    List<ManifestItem> items = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      items.add(ManifestItem.of("clip-" + i, SHORT_CLIP.toString(), i + 1).withParams(RequestParams.prompt("hi " + i)));
    }
    items.add(ManifestItem.of("gone", out.resolve("none.wav").toString(), 31));
    items.add(ManifestItem.of("long", LONG_CLIP.toString(), 32));
    // The previous run died with clip-0 in flight.
    try (LedgerWriter w = LedgerWriter.open(ledger.location().file())) {
      w.append(ledger.newRecord("clip-0").status(LedgerRecord.SENDING).requestId("gvb-earlier-r1").attempts(1).build());
    }
    RunTally.reset(ledger.location().key());

    SimulatorConfig config = SimulatorConfig.builder().apiKey(KEY)
        .latency(LatencyModel.fixed(Duration.ofMillis(30))).build();
    try (GlmVoiceSimulator sim = GlmVoiceSimulator.start(config)) {
      ClientSettings client = ClientSettings.builder().endpoint(sim.baseUrl())
          .credentials(ApiCredentials.rawKey(KEY)).maxInFlight(4).build();
      // Segments of at most 3 s: the long clip is split, the short ones are not.
      ItemPreparation preparation = new ItemPreparation(NormalizerSettings.defaults(),
          ResumeIndex.lazy(ledger.location(), UUID.randomUUID().toString()), ledger, "glm-4-voice",
          ResumePolicy.defaults(), new SegmentPolicy(true, 3.0), true);
      Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
      PCollection<LedgerRecord> segments = p
          .apply(Create.of(new ReadManifest.Slice("test", null, items, List.of()))
              .withCoder(SerializableCoder.of(ReadManifest.Slice.class)))
          .apply("CallGlmVoice", new CallGlmVoice(preparation, client, "glm-4-voice", null));
      PAssert.that(segments).satisfies(records -> {
        int n = 0;
        for (LedgerRecord r : records) {
          assertEquals("long", r.id(), "only segment records come out: " + r);
          assertTrue(r.isOk() && r.segment() != null && r.segments() != null, r.toString());
          n++;
        }
        assertTrue(n >= 2, "the long clip was not split: " + n + " segments");
        return null;
      });
      p.run().waitUntilFinish();
      ledger.release();

      List<LedgerRecord> lines = ledger.location().read().lines();
      long okItems = lines.stream().filter(r -> r.isOk() && r.segment() == null).count();
      assertEquals(30, okItems);
      LedgerRecord gone = lines.stream().filter(r -> r.id().equals("gone")).findFirst().orElseThrow();
      assertEquals("audio_unreadable", gone.error().code());
      assertTrue(sim.stats().maxInFlight() <= 4, sim.stats().toString());
      assertEquals(sim.stats().requests(), lines.stream().filter(r -> LedgerRecord.SENDING.equals(r.status())).count() - 1,
          "an intent line before every attempt");

      List<String> clip0 = lines.stream().filter(r -> r.id().equals("clip-0")).map(LedgerRecord::status).toList();
      assertEquals(List.of(LedgerRecord.SENDING, LedgerRecord.UNCERTAIN, LedgerRecord.SENDING, LedgerRecord.OK), clip0,
          "the uncertain line comes before anything else happens to the item");
    }
  }
}
