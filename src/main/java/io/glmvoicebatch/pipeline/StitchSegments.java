package io.glmvoicebatch.pipeline;

import io.glmvoicebatch.audio.AudioFormatException;
import io.glmvoicebatch.audio.WavFile;
import io.glmvoicebatch.ledger.CallFacts;
import io.glmvoicebatch.ledger.LedgerError;
import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.ledger.LedgerStatus;
import io.glmvoicebatch.ledger.OutputFolder;
import io.glmvoicebatch.ledger.ReplyFacts;
import io.glmvoicebatch.ledger.SegmentPlace;
import io.glmvoicebatch.ledger.UsageCost;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Joins the segments of a split recording back into one item: once every segment is concluded, the
 * replies are concatenated into {@code audio/<id>.wav} and {@code text/<id>.txt} and an item line is
 * written whose status is derived (ok only if every segment is ok) and whose tokens are the segments' sum.
 * Only ledger records travel through the grouping, never audio: the replies are read back from disk.
 */
public final class StitchSegments extends PTransform<PCollection<LedgerRecord>, PCollection<LedgerRecord>> {
  private final BatchRuntime.Spec runtime;

  public StitchSegments(BatchRuntime.Spec runtime) {
    this.runtime = runtime;
  }

  @Override
  public PCollection<LedgerRecord> expand(PCollection<LedgerRecord> concluded) {
    return concluded
        .apply("Segments", Filter.by((LedgerRecord r) -> r.segment() != null && r.segments() != null))
        .apply("ById", WithKeys.of((LedgerRecord r) -> r.id()).withKeyType(TypeDescriptors.strings()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(LedgerRecord.class)))
        .apply("Together", GroupByKey.create())
        .apply("Stitch", ParDo.of(new StitchFn(runtime)))
        .setCoder(SerializableCoder.of(LedgerRecord.class));
  }

  static final class StitchFn extends DoFn<KV<String, Iterable<LedgerRecord>>, LedgerRecord> {
    private final BatchRuntime.Spec spec;
    private transient BatchRuntime runtime;

    StitchFn(BatchRuntime.Spec spec) {
      this.spec = spec;
    }

    @Setup
    public void setup() {
      runtime = BatchRuntime.acquire(spec);
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<LedgerRecord>> group, OutputReceiver<LedgerRecord> out) {
      TreeMap<Integer, LedgerRecord> bySegment = new TreeMap<>();
      for (LedgerRecord r : group.getValue()) {
        bySegment.merge(r.segment(), r, (a, b) -> a.isOk() ? a : b);
      }
      LedgerRecord first = bySegment.firstEntry().getValue();
      int count = first.segments();
      CallFacts call = first.call();
      LedgerRecord.Builder item = first.toBuilder()
          .place(SegmentPlace.item(count))
          // the segments' lines carry their attempts, latencies and response ids
          .call(new CallFacts(null, null, null, null,
              bySegment.values().stream().map(r -> r.call().startedAt()).min(Comparator.naturalOrder()).orElse(null),
              Instant.now().toString(), null, call.simulated()));
      long prompt = 0;
      long completion = 0;
      long total = 0;
      double secondsSent = 0;
      double replySeconds = 0;
      List<String> requestIds = new ArrayList<>();
      LedgerRecord failedSegment = null;
      for (LedgerRecord r : bySegment.values()) {
        UsageCost usage = r.usage();
        prompt += usage.promptTokens() == null ? 0 : usage.promptTokens();
        completion += usage.completionTokens() == null ? 0 : usage.completionTokens();
        total += usage.totalTokens() == null ? 0 : usage.totalTokens();
        secondsSent += r.input().secondsSent() == null ? 0 : r.input().secondsSent();
        replySeconds += r.reply().replySeconds() == null ? 0 : r.reply().replySeconds();
        if (r.call().requestIds() != null) {
          requestIds.addAll(r.call().requestIds());
        }
        if (!r.isOk() && failedSegment == null) {
          failedSegment = r;
        }
      }
      double sent = secondsSent;
      item.usage(UsageCost.billed(prompt, completion, total, runtime.records().pricePerMillion(),
              runtime.records().currency()))
          // sent in segments: each segment's line names its own audio as sent
          .input(in -> in.withSecondsSent(sent).withSentAudio(null))
          .call(cf -> cf.withRequestIds(requestIds));
      String model = first.reply().model();
      String id = group.getKey();
      if (failedSegment != null || bySegment.size() != count) {
        String why = failedSegment != null
            ? "segment " + failedSegment.segment() + " of " + count + " " + failedSegment.status() + ": "
                + (failedSegment.error() == null ? failedSegment.reason() : failedSegment.error().message())
            : "only " + bySegment.size() + " of " + count + " segments were concluded";
        LedgerError cause = failedSegment != null && failedSegment.error() != null ? failedSegment.error() : null;
        out.output(runtime.append(item.status(LedgerStatus.FAILED)
            .reply(new ReplyFacts(null, null, null, null, null, model))
            .error(new LedgerError(cause == null ? "segment_failed" : cause.code(),
                cause == null ? 0 : cause.httpStatus(), "item '" + id + "': " + why))
            .build()));
        return;
      }
      try {
        OutputFolder folder = runtime.folder();
        String audio = folder.write(folder.audioName(id), joinAudio(bySegment.values()));
        String text = folder.writeText(folder.textName(id), joinText(bySegment.values()));
        out.output(runtime.append(item.status(LedgerStatus.OK).error(null)
            .reply(new ReplyFacts(audio, text, replySeconds, first.reply().replyWireForm(), null, model)).build()));
      } catch (AudioFormatException e) {
        out.output(runtime.append(item.status(LedgerStatus.FAILED)
            .error(LedgerError.of("stitch_failed", "item '" + id + "': cannot join the segment replies: " + e.getMessage()))
            .build()));
      }
    }

    private byte[] joinAudio(Iterable<LedgerRecord> segments) throws AudioFormatException {
      List<byte[]> replies = new ArrayList<>();
      for (LedgerRecord r : segments) {
        replies.add(runtime.folder().read(runtime.folder().inside(r.reply().outputAudio())));
      }
      return WavFile.concatenateMono(replies);
    }

    private String joinText(Iterable<LedgerRecord> segments) {
      StringBuilder sb = new StringBuilder();
      for (LedgerRecord r : segments) {
        if (sb.length() > 0) {
          sb.append("\n\n");
        }
        sb.append(new String(runtime.folder().read(runtime.folder().inside(r.reply().outputText())), StandardCharsets.UTF_8)
            .strip());
      }
      return sb.toString();
    }

    @Teardown
    public void teardown() {
      if (runtime != null) {
        runtime.close();
        runtime = null;
      }
    }
  }
}
