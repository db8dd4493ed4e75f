package io.glmvoicebatch.pipeline;

import io.glmvoicebatch.ledger.LedgerError;
import io.glmvoicebatch.ledger.LedgerStatus;
import io.glmvoicebatch.manifest.Manifest;
import io.glmvoicebatch.manifest.ManifestItem;
import io.glmvoicebatch.manifest.ManifestPart;
import io.glmvoicebatch.manifest.ManifestProblem;
import io.glmvoicebatch.manifest.ManifestReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * The manifest's items as a PCollection, read inside the pipeline (Beam FileIO: a local path or any Beam
 * filesystem URI), so the launching JVM never holds them. One pass streams the file (line numbers kept,
 * duplicate ids judged across the whole file with a compact table) and cuts it into parts named by byte
 * range; each part is then parsed again by the stage that prepares its items
 * ({@link #forEachItem}), so what sits between the stages is parts, never items. Bad lines are written to
 * the ledger as failed items there.
 *
 * <p>Why parts of {@code itemsPerBundle}: the call stage keeps a bundle's requests in flight together and
 * waits for them when the bundle ends, so its concurrency is bounded by bundle sizes. Cut by the runner,
 * the Direct runner made bundles of one to six items (measured), which starved a cap of 8 down to 5 and
 * left slot use at 0.22. Each part is keyed by its own number and grouped, so parts spread over workers and
 * one part becomes one bundle downstream, many times the cap. A part is a few dozen bytes, so what the
 * runner holds between the stages does not grow with the lines.
 */
public final class ReadManifest extends PTransform<PBegin, PCollection<ReadManifest.Slice>> {
  private final String location;
  private final Manifest inMemory;
  private final int itemsPerBundle;

  private ReadManifest(String location, Manifest inMemory, int itemsPerBundle) {
    if (itemsPerBundle < 1) {
      throw new IllegalArgumentException("itemsPerBundle must be >= 1, got " + itemsPerBundle);
    }
    this.location = location;
    this.inMemory = inMemory;
    this.itemsPerBundle = itemsPerBundle;
  }

  /** The manifest file at {@code location}, read by the pipeline. */
  public static ReadManifest file(String location, int itemsPerBundle) {
    return new ReadManifest(location, null, itemsPerBundle);
  }

  /** A manifest already in memory (a folder listing, {@code --audioDir}). */
  public static ReadManifest of(Manifest manifest, int itemsPerBundle) {
    return new ReadManifest(null, manifest, itemsPerBundle);
  }

  /**
   * One bundle's worth of manifest: a part of the file by byte range, or items already in memory.
   *
   * @param source the manifest, as the user named it
   */
  public record Slice(String source, ManifestPart part, List<ManifestItem> items, List<ManifestProblem> problems)
      implements Serializable {}

  @Override
  public PCollection<Slice> expand(PBegin begin) {
    PCollection<KV<Integer, Slice>> slices;
    if (location != null) {
      slices = begin
          .apply("Match", FileIO.match().filepattern(location))
          .apply("Open", FileIO.readMatches())
          .apply("Cut", ParDo.of(new CutFn(location, itemsPerBundle)));
    } else {
      slices = begin.apply("Slices", Create.of(inMemorySlices()).withCoder(sliceCoder()));
    }
    return slices
        .setCoder(sliceCoder())
        .apply("Spread", GroupByKey.create())
        .apply("Parts", ParDo.of(new PartsFn()))
        .setCoder(SerializableCoder.of(Slice.class));
  }

  /** What the stage that reads a slice's items does with each one. */
  public interface ItemHandler {
    void accept(ManifestItem item) throws IOException, InterruptedException;
  }

  /**
   * The slice's items, parsed where the slice landed, in order to {@code handler}; its bad lines go to the
   * ledger as failed items. Called by the stage that prepares the items, so items are never a PCollection:
   * the Direct runner would hold every one of them between two stages.
   */
  public static void forEachItem(Slice slice, BatchRuntime runtime, ItemHandler handler)
      throws IOException, InterruptedException {
    List<ManifestItem> items = new ArrayList<>();
    ManifestReader.Sink sink = new ManifestReader.Sink() {
      @Override
      public void item(ManifestItem item) {
        items.add(item);
      }

      @Override
      public void problem(ManifestProblem problem) {
        record(runtime, slice.source(), problem);
      }
    };
    if (slice.part() == null) {
      slice.problems().forEach(sink::problem);
      slice.items().forEach(sink::item);
    } else {
      try (InputStream in = openAt(slice.source(), slice.part().startByte())) {
        ManifestReader.readPart(slice.source(), in, slice.part(), sink);
      }
    }
    runtime.tally().countManifestLines(slice.part() == null ? slice.items().size() + slice.problems().size()
        : slice.part().entries());
    for (ManifestItem item : items) {
      handler.accept(item);
    }
  }

  private static void record(BatchRuntime runtime, String source, ManifestProblem problem) {
    String now = Instant.now().toString();
    runtime.append(runtime.records().newRecord(problem.id())
        .status(LedgerStatus.FAILED)
        .manifestLine(problem.line())
        .error(LedgerError.of("manifest", problem.message() + " (" + source + ")"))
        .call(cf -> cf.withStartedAt(now).withFinishedAt(now))
        .build());
  }

  /** The manifest from byte {@code offset} on: a seek where the filesystem allows it, else a skip. */
  private static InputStream openAt(String location, long offset) throws IOException {
    if (Compression.detect(location) == Compression.UNCOMPRESSED) {
      ReadableByteChannel channel = FileSystems.open(FileSystems.matchSingleFileSpec(location).resourceId());
      if (channel instanceof SeekableByteChannel seekable) {
        seekable.position(offset);
        return Channels.newInputStream(seekable);
      }
      channel.close();
    }
    InputStream in = ManifestInput.file(location).open(); // decompressed as the launcher reads it
    in.skipNBytes(offset);
    return in;
  }

  private List<KV<Integer, Slice>> inMemorySlices() {
    List<KV<Integer, Slice>> out = new ArrayList<>();
    List<ManifestItem> items = inMemory.items();
    List<ManifestProblem> problems = inMemory.problems();
    int n = 0;
    for (int from = 0; from < Math.max(1, items.size()); from += itemsPerBundle) {
      List<ManifestItem> slice = new ArrayList<>(items.subList(from, Math.min(items.size(), from + itemsPerBundle)));
      out.add(KV.of(n++, new Slice(inMemory.source(), null, slice, from == 0 ? problems : List.of())));
    }
    return out;
  }

  private static KvCoder<Integer, Slice> sliceCoder() {
    return KvCoder.of(VarIntCoder.of(), SerializableCoder.of(Slice.class));
  }

  /** Streams one manifest file into numbered parts. */
  static final class CutFn extends DoFn<FileIO.ReadableFile, KV<Integer, Slice>> {
    private final String location;
    private final int itemsPerBundle;

    CutFn(String location, int itemsPerBundle) {
      this.location = location;
      this.itemsPerBundle = itemsPerBundle;
    }

    @ProcessElement
    public void process(@Element FileIO.ReadableFile file, OutputReceiver<KV<Integer, Slice>> out) throws IOException {
      int[] n = {0};
      try (InputStream in = Channels.newInputStream(file.open())) {
        ManifestReader.cut(location, in, itemsPerBundle,
            part -> out.output(KV.of(n[0]++, new Slice(location, part, null, null))));
      }
    }
  }

  /** Each part on its own: one part is one bundle of the stage that reads its items. */
  static final class PartsFn extends DoFn<KV<Integer, Iterable<Slice>>, Slice> {
    @ProcessElement
    public void process(@Element KV<Integer, Iterable<Slice>> group, OutputReceiver<Slice> out) {
      group.getValue().forEach(out::output);
    }
  }
}
