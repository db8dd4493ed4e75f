package io.glmvoicebatch.pipeline;

import io.glmvoicebatch.api.ApiCredentials;
import io.glmvoicebatch.api.ClientSettings;
import io.glmvoicebatch.api.RetryPolicy;
import io.glmvoicebatch.audio.InputFileCheck;
import io.glmvoicebatch.audio.NormalizerSettings;
import io.glmvoicebatch.ledger.Cost;
import io.glmvoicebatch.ledger.LedgerLocation;
import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.ledger.LedgerStatus;
import io.glmvoicebatch.ledger.LedgerWriter;
import io.glmvoicebatch.ledger.OutputFolder;
import io.glmvoicebatch.manifest.ManifestItem;
import io.glmvoicebatch.manifest.RequestParams;
import io.glmvoicebatch.simulator.FaultPlan;
import io.glmvoicebatch.simulator.GlmVoiceSimulator;
import io.glmvoicebatch.simulator.LatencyModel;
import io.glmvoicebatch.simulator.SimulatorConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;

/**
 * What a stage under test stands in: an output folder with its ledger (written for real, read back from
 * disk), the preparation the stage runs, manifest items handed to it as one slice, and the simulator's
 * client over loopback. The stage tests build runtime specs, preparations and simulators only here, so a
 * change to how the batch's shared parts are made touches this file, not every test. Each {@link #runtime}
 * is a new batch (a new run id), as each CLI run is.
 */
final class StageFixture {
  static final String KEY = "stagetest1.c2VjcmV0c2VjcmV0";
  static final String MODEL = "glm-4-voice";
  /** 5 s at 16 kHz mono: short enough to be one request. */
  static final Path SHORT_CLIP = Path.of("sample-data/clips/zh-photosynthesis.wav").toAbsolutePath();
  /** Long enough to be split into segments of 3 s. */
  static final Path LONG_CLIP = Path.of("sample-data/clips/zh-triangle-angles.wav").toAbsolutePath();

  static final RecordStamp RECORDS = new RecordStamp(Cost.DEFAULT_PRICE_PER_MILLION_TOKENS, Cost.DEFAULT_CURRENCY, true);

  final Path dir;
  final OutputFolder folder;
  /** Where the stage writes: the batch ledger, or the estimates file of a dry run. */
  final LedgerLocation ledger;
  private final boolean dryRun;

  private StageFixture(Path dir, boolean dryRun) {
    this.dir = dir;
    this.folder = new OutputFolder(dir);
    this.ledger = dryRun ? folder.dryRunLedgerLocation() : folder.ledgerLocation();
    this.dryRun = dryRun;
  }

  /** The batch ledger of an output folder at {@code dir}. */
  static StageFixture ledgerAt(Path dir) {
    return new StageFixture(dir, false);
  }

  /** The dry-run estimates ledger of an output folder at {@code dir}. */
  static StageFixture estimatesAt(Path dir) {
    return new StageFixture(dir, true);
  }

  /** A new batch writing to this ledger, resuming from the folder's batch ledger, with no client or budget. */
  BatchRuntime.Spec runtime() {
    return runtime(null, null);
  }

  /** A new batch sending through {@code client} with the budget {@code maxCost} (null: none). */
  BatchRuntime.Spec runtime(ClientSettings client, BigDecimal maxCost) {
    return BatchRuntime.Spec.of(folder, RECORDS, client).withLedger(ledger).withBudget(maxCost);
  }

  BigDecimal price() {
    return Cost.DEFAULT_PRICE_PER_MILLION_TOKENS;
  }

  /**
   * Preparation as the CLI makes it (it resumes from the runtime's index of the folder's batch ledger),
   * marking the last run's in-flight items uncertain unless this is a dry run.
   */
  ItemPreparation preparation(SegmentPolicy segments) {
    return new ItemPreparation(NormalizerSettings.defaults(), InputFileCheck.defaults(), MODEL,
        ResumePolicy.defaults(), segments, !dryRun);
  }

  ItemPreparation preparation() {
    return preparation(SegmentPolicy.defaults());
  }

  static ManifestItem item(String id, int line, Path audio, String prompt) {
    return ManifestItem.of(id, audio.toString(), line).withParams(RequestParams.prompt(prompt));
  }

  /** {@code n} items of the same clip on lines 1..n, ids {@code prefix + i}, prompts "item i". */
  static List<ManifestItem> items(String prefix, int n, Path audio) {
    List<ManifestItem> items = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      items.add(item(prefix + i, i + 1, audio, "item " + i));
    }
    return items;
  }

  /** The items as one slice of an in-memory manifest: what ReadManifest hands the next stage. */
  static PCollection<ReadManifest.Slice> slice(Pipeline p, List<ManifestItem> items) {
    return p.apply("Items", Create.of(new ReadManifest.Slice("test-manifest", null, items, List.of()))
        .withCoder(SerializableCoder.of(ReadManifest.Slice.class)));
  }

  /** Every line of this ledger, from disk, in order (each durable once appended). */
  List<LedgerRecord> lines() {
    try {
      return ledger.read().lines();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The lines that conclude something (intent lines left out). */
  List<LedgerRecord> concluded() {
    return lines().stream().filter(Predicate.not(r -> r.status() == LedgerStatus.SENDING)).toList();
  }

  /** The one concluding line of {@code id} (a whole item, not a segment). */
  LedgerRecord concluded(String id) {
    List<LedgerRecord> of = concluded().stream().filter(r -> r.id().equals(id) && r.segment() == null).toList();
    if (of.size() != 1) {
      throw new AssertionError("expected one concluding line of " + id + ", got " + of);
    }
    return of.get(0);
  }

  /** Lines a run before this one left in the folder's batch ledger. */
  void appendToBatchLedger(LedgerRecord... records) throws IOException {
    try (LedgerWriter w = LedgerWriter.open(folder.ledgerLocation().file())) {
      for (LedgerRecord r : records) {
        w.append(r);
      }
    }
  }

  /** An item an earlier run finished: ok, for the input whose resume key is {@code fingerprint}. */
  static LedgerRecord okLine(String id, String fingerprint) {
    return LedgerRecord.builder().id(id).status(LedgerStatus.OK).input(inf -> inf.withFingerprint(inf.sha256(), fingerprint, 1)).build();
  }

  /** An item an earlier run sent and never heard back about: its intent line, last. */
  static LedgerRecord intentLine(String id, String requestId) {
    return LedgerRecord.builder().id(id).status(LedgerStatus.SENDING).call(cf -> cf.withRequestId(requestId).withAttempts(1)).build();
  }

  static GlmVoiceSimulator simulator(Duration latency, FaultPlan faults) throws IOException {
    return GlmVoiceSimulator.start(SimulatorConfig.builder().apiKey(KEY).latency(LatencyModel.fixed(latency))
        .faults(faults).build());
  }

  /** The real client to {@code sim} over loopback, at most {@code cap} in flight, two attempts with short backoff. */
  static ClientSettings client(GlmVoiceSimulator sim, int cap) {
    return ClientSettings.builder().endpoint(sim.baseUrl()).credentials(ApiCredentials.rawKey(KEY)).maxInFlight(cap)
        .retryPolicy(RetryPolicy.builder().maxAttempts(2).baseDelay(Duration.ofMillis(10))
            .maxDelay(Duration.ofMillis(20)).build())
        .build();
  }
}
