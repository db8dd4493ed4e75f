package io.glmvoicebatch.cli;

import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.ledger.LedgerView;
import io.glmvoicebatch.ledger.RunTally;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The progress line's counts when the batch runs in other JVMs (a Flink or Spark cluster): their ledger
 * appends never reach this JVM's tally, so the driver reads the lines they add to a local or mounted
 * {@code ledger.jsonl} once a second and counts them in a tally of its own. The total and the items done
 * by earlier runs (counted in the workers, too) come from one pass over the manifest and the ledger first.
 */
final class LedgerFollower implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LedgerFollower.class);

  private final Path file;
  private final RunTally tally;
  private final ScheduledExecutorService timer;
  private long offset;

  private LedgerFollower(Path file, RunTally tally, Callable<LedgerFold.Start> start) throws IOException {
    this.file = file;
    this.tally = tally;
    this.offset = Files.exists(file) ? Files.size(file) : 0;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "ledger-follower");
      t.setDaemon(true);
      return t;
    });
    timer.execute(() -> {
      try {
        LedgerFold.Start s = start.call();
        tally.countManifestLines(s.manifestLines());
        tally.countAlreadyDone(s.alreadyOk());
      } catch (Exception e) {
        LOG.debug("cannot count the manifest for the progress line", e);
      }
    });
    timer.scheduleWithFixedDelay(this::poll, 1, 1, TimeUnit.SECONDS);
  }

  /**
   * Follows {@code file} from its current end into {@code tally}, after {@code start} (run on the follower's
   * thread, so the job is submitted meanwhile) gave the total and the items already done.
   */
  static LedgerFollower start(Path file, RunTally tally, Callable<LedgerFold.Start> start) throws IOException {
    return new LedgerFollower(file, tally, start);
  }

  /**
   * Whether the batch's workers are other JVMs than this one: a remote {@code --flinkMaster} or
   * {@code --sparkMaster}, a remote master given by {@code spark-submit} (the {@code spark.master} property
   * of this driver JVM), or {@code --clusterWorkers} above 1.
   */
  static boolean workersElsewhere(String[] args, Integer clusterWorkers) {
    String sparkSubmitMaster = System.getProperty("spark.master");
    return OptionsParser.remoteMaster(args)
        || (sparkSubmitMaster != null && OptionsParser.remoteMaster("--sparkMaster=" + sparkSubmitMaster))
        || (clusterWorkers != null && clusterWorkers > 1);
  }

  synchronized void poll() {
    if (!Files.exists(file)) {
      return;
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size <= offset) {
        return;
      }
      ByteBuffer buf = ByteBuffer.allocate((int) Math.min(size - offset, 64L << 20));
      ch.read(buf, offset);
      byte[] bytes = Arrays.copyOf(buf.array(), buf.position());
      int end = lastNewline(bytes);
      if (end < 0) {
        return; // a line still being written
      }
      String text = new String(bytes, 0, end + 1, StandardCharsets.UTF_8);
      for (LedgerRecord r : LedgerView.of(text.lines().toList()).lines()) {
        tally.count(r);
      }
      offset += end + 1;
    } catch (IOException | RuntimeException e) {
      LOG.debug("cannot follow {}", file, e);
    }
  }

  private static int lastNewline(byte[] bytes) {
    for (int i = bytes.length - 1; i >= 0; i--) {
      if (bytes[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  @Override
  public void close() {
    timer.shutdownNow();
    poll();
  }
}
