package io.glmvoicebatch.cli;

import io.glmvoicebatch.manifest.ManifestItem;
import io.glmvoicebatch.manifest.ManifestProblem;
import io.glmvoicebatch.manifest.ManifestReader;
import io.glmvoicebatch.pipeline.ManifestInput;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The progress line's total, counted by the launcher on a thread of its own while the batch runs: the
 * manifest's items and bad lines, as the pipeline will count them. The pipeline counts a part's lines only
 * when it reaches the part, so on its own a large batch showed "418/1040 done" and an ETA for 1,040 when
 * 2,000 were coming. Nothing is kept but the count.
 */
final class ManifestCount {
  private static final Logger LOG = LoggerFactory.getLogger(ManifestCount.class);

  private final AtomicLong counted = new AtomicLong();
  private volatile boolean complete;
  /** Counting has ended, complete or not. */
  private volatile boolean ended;

  private ManifestCount() {}

  /** Starts counting {@code manifest} on a daemon thread. */
  static ManifestCount start(ManifestInput manifest) {
    ManifestCount count = new ManifestCount();
    Thread t = new Thread(() -> count.run(manifest), "manifest-count");
    t.setDaemon(true);
    t.start();
    return count;
  }

  private void run(ManifestInput manifest) {
    try {
      manifest.stream(new ManifestReader.Sink() {
        @Override
        public void item(ManifestItem item) {
          counted.incrementAndGet();
        }

        @Override
        public void problem(ManifestProblem problem) {
          counted.incrementAndGet();
        }
      });
      complete = true;
    } catch (Exception e) {
      // The line then shows what the pipeline has counted, marked as a lower bound.
      LOG.debug("cannot count the manifest for the progress line", e);
    } finally {
      ended = true;
    }
  }

  /** True once counting has ended, whether the whole manifest was counted or it could not be read. */
  boolean ended() {
    return ended;
  }

  /** True once the whole manifest is counted. */
  boolean complete() {
    return complete;
  }

  /** The total: this count once complete, else the larger of what it and the pipeline have counted so far. */
  long total(long countedByPipeline) {
    return complete ? counted.get() : Math.max(counted.get(), countedByPipeline);
  }
}
