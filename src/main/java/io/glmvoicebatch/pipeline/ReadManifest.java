package io.glmvoicebatch.pipeline;

import io.glmvoicebatch.manifest.ManifestItem;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * The manifest's items as a PCollection, released in slices of {@code itemsPerBundle}.
 *
 * <p>Why slices: the call stage keeps a bundle's requests in flight together and waits for them when the
 * bundle ends, so its concurrency is bounded by bundle sizes. {@code Create.of(items)} lets the Direct
 * runner cut the items into bundles of one to six (measured), which starved a cap of 8 down to 5 and left
 * slot use at 0.22. One slice becomes one bundle downstream, so each bundle holds many times the cap.
 */
public final class ReadManifest extends PTransform<PBegin, PCollection<ManifestItem>> {
  private final List<ManifestItem> items;
  private final int itemsPerBundle;

  public ReadManifest(List<ManifestItem> items, int itemsPerBundle) {
    if (itemsPerBundle < 1) {
      throw new IllegalArgumentException("itemsPerBundle must be >= 1, got " + itemsPerBundle);
    }
    this.items = List.copyOf(items);
    this.itemsPerBundle = itemsPerBundle;
  }

  /** A run of consecutive manifest items, small on the wire: paths and prompts, never audio. */
  public record Slice(List<ManifestItem> items) implements Serializable {}

  @Override
  public PCollection<ManifestItem> expand(PBegin begin) {
    List<Slice> slices = new ArrayList<>();
    for (int from = 0; from < items.size(); from += itemsPerBundle) {
      slices.add(new Slice(new ArrayList<>(items.subList(from, Math.min(items.size(), from + itemsPerBundle)))));
    }
    return begin
        .apply("Slices", Create.of(slices).withCoder(SerializableCoder.of(Slice.class)))
        .apply("Items", ParDo.of(new ExpandFn()))
        .setCoder(SerializableCoder.of(ManifestItem.class));
  }

  static final class ExpandFn extends DoFn<Slice, ManifestItem> {
    @ProcessElement
    public void process(@Element Slice slice, OutputReceiver<ManifestItem> out) {
      slice.items().forEach(out::output);
    }
  }
}
