package io.glmvoicebatch.bench;

import io.glmvoicebatch.api.ApiCredentials;
import io.glmvoicebatch.api.ClientSettings;
import io.glmvoicebatch.audio.NormalizerSettings;
import io.glmvoicebatch.ledger.Cost;
import io.glmvoicebatch.ledger.OutputFolder;
import io.glmvoicebatch.ledger.ResumeIndex;
import io.glmvoicebatch.pipeline.BatchPlan;
import io.glmvoicebatch.pipeline.BatchRuntime;
import io.glmvoicebatch.pipeline.RecordStamp;
import io.glmvoicebatch.pipeline.ReplySize;
import io.glmvoicebatch.audio.InputFileCheck;
import io.glmvoicebatch.pipeline.ManifestInput;
import io.glmvoicebatch.pipeline.ResumePolicy;
import io.glmvoicebatch.pipeline.SegmentPolicy;
import io.glmvoicebatch.pipeline.VoiceBatchPipeline;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.util.construction.PipelineTranslation;

/**
 * The launching JVM's footprint at pipeline submission, by manifest size: heap used after a full GC once the
 * pipeline is built as the CLI builds it (manifest by location, resume index by ledger location), and the
 * size of the serialized pipeline proto (what a runner is sent). A program, not a test: {@code mvn verify}
 * does not run it (no {@code @Test}, and surefire runs only {@code *Test} classes); benchmarks/bulk/bench.sh runs it.
 *
 * <pre>LauncherFootprint WORKDIR LINES...</pre>
 */
public final class LauncherFootprint {
  private LauncherFootprint() {}

  public static void main(String[] args) throws Exception {
    Path work = Path.of(args[0]);
    Files.createDirectories(work);
    System.out.println("| manifest lines | manifest MB | heap after GC before build MB | heap after GC, pipeline built MB | pipeline proto KB |");
    System.out.println("|---|---|---|---|---|");
    for (int a = 1; a < args.length; a++) {
      int lines = Integer.parseInt(args[a]);
      Path manifest = work.resolve("launcher-" + lines + ".jsonl");
      List<String> text = new ArrayList<>(lines);
      for (int i = 0; i < lines; i++) {
        text.add("{\"id\":\"item-" + i + "\",\"audio\":\"sample-data/clips/zh-homework.wav\",\"prompt\":\"Answer item "
            + i + " briefly, please.\"}");
      }
      Files.write(manifest, text, StandardCharsets.UTF_8);
      text = null;
      double before = heapAfterGcMb();
      OutputFolder folder = new OutputFolder(work.resolve("launcher-out-" + lines));
      ClientSettings client = ClientSettings.builder().endpoint("http://127.0.0.1:9/api/paas/v4")
          .credentials(ApiCredentials.rawKey("bench.c2VjcmV0")).maxInFlight(20).allowInsecureEndpoint(true).build();
      BatchRuntime.Spec runtime = BatchRuntime.Spec.of(folder,
          new RecordStamp(Cost.DEFAULT_PRICE_PER_MILLION_TOKENS, "RMB", true), client);
      BatchPlan plan = new BatchPlan(ManifestInput.file(manifest.toString()), NormalizerSettings.defaults(),
          "glm-4-voice", runtime, ResumePolicy.defaults(), null, BatchPlan.DEFAULT_ITEMS_PER_BUNDLE,
          SegmentPolicy.defaults(), InputFileCheck.defaults(), ReplySize.defaults());
      Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.create());
      VoiceBatchPipeline.build(pipeline, plan);
      int protoBytes = PipelineTranslation.toProto(pipeline).getSerializedSize();
      double built = heapAfterGcMb();
      System.out.printf("| %,d | %.1f | %.1f | %.1f | %.1f |%n", lines, Files.size(manifest) / 1e6, before, built,
          protoBytes / 1024.0);
      pipeline = null;
    }
  }

  private static double heapAfterGcMb() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0;
  }
}
