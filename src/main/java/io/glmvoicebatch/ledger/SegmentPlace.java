package io.glmvoicebatch.ledger;

import java.io.Serializable;

/**
 * Where a line sits in a split recording: a segment's line has its index, the count and where it starts in
 * the recording; the item line of a split recording has only the count; a whole recording has none.
 */
public record SegmentPlace(Integer index, Integer count, Double startSeconds) implements Serializable {
  /** A recording sent whole. */
  public static final SegmentPlace WHOLE = new SegmentPlace(null, null, null);

  /** The item line of a recording sent as {@code count} segments. */
  public static SegmentPlace item(int count) {
    return new SegmentPlace(null, count, null);
  }

  /** A segment's line (not the item line that stitches them). */
  public boolean isSegment() {
    return index != null;
  }

  /** The item line of a split recording: its tokens and money repeat its segments' sum. */
  public boolean isStitchedItem() {
    return index == null && count != null;
  }
}
