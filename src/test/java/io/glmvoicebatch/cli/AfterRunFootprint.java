package io.glmvoicebatch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.glmvoicebatch.ledger.CallFacts;
import io.glmvoicebatch.ledger.Cost;
import io.glmvoicebatch.ledger.InputFacts;
import io.glmvoicebatch.ledger.LedgerError;
import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.ledger.LedgerStatus;
import io.glmvoicebatch.ledger.OutputFolder;
import io.glmvoicebatch.ledger.ReplyFacts;
import io.glmvoicebatch.ledger.RunTally;
import io.glmvoicebatch.ledger.UsageCost;
import io.glmvoicebatch.manifest.IdLines;
import io.glmvoicebatch.manifest.RequestParams;
import io.glmvoicebatch.pipeline.ManifestInput;
import io.glmvoicebatch.pipeline.VoiceBatchOptions;
import io.glmvoicebatch.report.BatchReport;
import java.io.BufferedWriter;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * The launching JVM after the batch, by batch size: the summary fold, the report and the dataset export
 * over an output folder of N finished items (one ok line each, plus an earlier failed attempt for every
 * tenth; a distinct prompt per item, the worst case for the report's text table; reply, text and sent audio
 * as hard links to three small files, so every row is written). A sampler thread forces a full GC every
 * 200 ms and keeps the largest heap in use right after it: the live set, not uncollected garbage. Run it
 * with a small -Xmx to show that nothing of the batch's records is held (benchmarks/bulk/after-run.sh). A
 * program, not a test: {@code mvn verify} does not run it (no {@code @Test}, and surefire runs only {@code *Test} classes).
 *
 * <pre>AfterRunFootprint WORKDIR N...</pre>
 */
public final class AfterRunFootprint {
  private static final ObjectMapper JSON = new ObjectMapper();

  private AfterRunFootprint() {}

  public static void main(String[] args) throws Exception {
    Path work = Path.of(args[0]);
    System.out.println("| items | -Xmx MB | summary s | report s | dataset s | dry-run listing s | peak heap after GC MB |");
    System.out.println("|---|---|---|---|---|---|---|");
    for (int a = 1; a < args.length; a++) {
      int n = Integer.parseInt(args[a]);
      Path dir = work.resolve("after-run-" + n);
      Path manifest = work.resolve("after-run-" + n + ".jsonl");
      if (!Files.exists(dir.resolve(OutputFolder.LEDGER))) {
        synthesize(n, manifest, dir);
      }
      OutputFolder folder = new OutputFolder(dir);
      ManifestInput input = ManifestInput.file(manifest.toString());
      AtomicLong peak = new AtomicLong();
      Thread sampler = sampler(peak);
      PrintStream quiet = new PrintStream(java.io.OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);

      long t0 = System.nanoTime();
      LedgerFold.Result fold = LedgerFold.summary(folder.ledgerLocation(), input, 0, 20, new ArrayList<>());
      if (fold.summary().ok() != n) {
        throw new IllegalStateException("summary counted " + fold.summary().ok() + " ok of " + n);
      }
      long t1 = System.nanoTime();
      BatchReport.write(folder, LedgerFold.ids(input));
      long t2 = System.nanoTime();
      VoiceBatchOptions o = PipelineOptionsFactory.fromArgs("--datasetFormat=jsonl").as(VoiceBatchOptions.class);
      DatasetExport.Result rows = DatasetExport.of(o, folder).write(LedgerFold.ids(input), input,
          folder.ledgerLocation(), folder);
      if (rows.rows() != n) {
        throw new IllegalStateException("dataset wrote " + rows.rows() + " rows of " + n);
      }
      long t3 = System.nanoTime();
      // A dry run's listing over the same lines (its estimate file has the ledger's shape).
      DryRunReport.print(folder.ledgerLocation(), LedgerFold.ids(input), new RunTally(), quiet, bad -> { });
      long t4 = System.nanoTime();
      sampler.interrupt();
      sampler.join();
      System.out.printf(java.util.Locale.ROOT, "| %,d | %d | %.1f | %.1f | %.1f | %.1f | %.1f |%n", n,
          Runtime.getRuntime().maxMemory() >> 20, (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9,
          (t4 - t3) / 1e9, peak.get() / 1048576.0);
    }
  }

  private static Thread sampler(AtomicLong peak) {
    Thread t = new Thread(() -> {
      var memory = ManagementFactory.getMemoryMXBean();
      while (!Thread.currentThread().isInterrupted()) {
        System.gc();
        peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
        try {
          Thread.sleep(200);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "heap-sampler");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static void synthesize(int n, Path manifest, Path dir) throws Exception {
    Files.createDirectories(dir);
    OutputFolder folder = new OutputFolder(dir);
    Path wav = null;
    Path text = null;
    BigDecimal price = Cost.DEFAULT_PRICE_PER_MILLION_TOKENS;
    try (BufferedWriter m = Files.newBufferedWriter(manifest, StandardCharsets.UTF_8);
        BufferedWriter l = Files.newBufferedWriter(dir.resolve(OutputFolder.LEDGER), StandardCharsets.UTF_8)) {
      for (int i = 0; i < n; i++) {
        String id = "item-" + i;
        String prompt = "Answer item " + i + " briefly, please.";
        m.write("{\"id\":\"" + id + "\",\"audio\":\"clips/" + id + ".wav\",\"prompt\":\"" + prompt + "\"}\n");
        List<LedgerRecord> lines = new ArrayList<>();
        LedgerRecord.Builder base = LedgerRecord.builder().id(id).manifestLine(i + 1).params(RequestParams.prompt(prompt))
            .reply(ReplyFacts.NONE.withModel("glm-4-voice"))
            .input(InputFacts.of("clips/" + id + ".wav").withFingerprint("0".repeat(64), "f".repeat(64), 1).withSeconds(3.0)
                .withSecondsSent(3.0))
            .call(new CallFacts("req-" + i, null, null, 1, "2026-12-01T20:00:00Z", "2026-12-01T20:00:01Z", 900L, null));
        if (i % 10 == 0) {
          lines.add(base.status(LedgerStatus.FAILED)
              .error(new LedgerError("server_error", 500, "the service failed")).build());
        }
        if (i % 30_000 == 0) { // a file system allows some 65,000 links to one file
          wav = dir.resolve("shared-reply-" + i + ".wav");
          Files.write(wav, new byte[] {'R', 'I', 'F', 'F'});
          text = dir.resolve("shared-reply-" + i + ".txt");
          Files.writeString(text, "A reply.");
        }
        String audio = folder.audioName(id);
        String replyText = folder.textName(id);
        String sent = folder.normalizedName(id, null);
        for (String link : new String[] {audio, sent}) {
          Files.createDirectories(dir.resolve(link).getParent());
          Files.createLink(dir.resolve(link), wav);
        }
        Files.createDirectories(dir.resolve(replyText).getParent());
        Files.createLink(dir.resolve(replyText), text);
        lines.add(base.status(LedgerStatus.OK).error(null).usage(UsageCost.billed(45, 300, 345, price, Cost.DEFAULT_CURRENCY))
            .reply(rf -> new ReplyFacts(audio, replyText, 2.0, rf.replyWireForm(), "stop", rf.model()))
            .input(inf -> inf.withSentAudio(sent))
            .call(base.build().call().withResponseId("resp-" + i)).build());
        for (LedgerRecord r : lines) {
          l.write(r.jsonLine());
          l.write('\n');
        }
      }
    }
  }
}
