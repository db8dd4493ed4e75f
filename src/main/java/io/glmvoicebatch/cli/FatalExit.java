package io.glmvoicebatch.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Errors the batch cannot go on after (out of memory, an unexpected exception in a stage, a client or
 * simulator thread that died): one line on stderr, the stack trace in a file, and exit code 4 at once. A
 * JVM whose worker thread died would otherwise wait forever on the replies that thread owed; halting
 * (no shutdown hooks) cannot wait on anything. The ledger needs no closing: every line is fsynced when
 * written, so the next run resumes and marks the requests that were in flight {@code uncertain}.
 */
final class FatalExit {
  private static final Logger LOG = LoggerFactory.getLogger(FatalExit.class);
  /** One line per process: two threads dying at once (a worker and the batch's own wait) must not print two. */
  private static final AtomicBoolean REPORTED = new AtomicBoolean();
  private static final CountDownLatch REPORT_WRITTEN = new CountDownLatch(1);
  /** Written as is when even formatting the message runs out of memory. */
  private static final byte[] LAST_RESORT = ("\nerror: internal error (out of memory?); stopped with exit code 4. "
      + "The ledger is intact: run the same command again to resume.\n").getBytes(StandardCharsets.UTF_8);
  private static final FileOutputStream STDERR = new FileOutputStream(FileDescriptor.err);
  private static final Set<String> WRAPPERS = Set.of("PipelineExecutionException", "UserCodeException",
      "CompletionException", "ExecutionException", "UncheckedExecutionException");

  private FatalExit() {}

  /** Any throwable no one caught, in any thread, ends the process with exit code 4. */
  static void install() {
    Thread.setDefaultUncaughtExceptionHandler((thread, error) -> haltNow(error, "thread " + thread.getName()));
  }

  /**
   * Reports {@code error} as one line on {@code err} and returns the exit code (the caller halts). Only the
   * first fatal error of the process is reported; a later caller waits (briefly) until that line is written,
   * so halting after it cannot cut the line off.
   */
  static ExitCode report(Throwable error, String where, PrintStream err) {
    if (!REPORTED.compareAndSet(false, true)) {
      awaitFirstReport();
      return ExitCode.INTERNAL_ERROR;
    }
    try {
      err.println(line(error, where, stackTraceFile(error)));
      err.flush();
    } catch (Throwable t) {
      writeLastResort();
    } finally {
      REPORT_WRITTEN.countDown();
    }
    return ExitCode.INTERNAL_ERROR;
  }

  /** The summary's stop reason when the job failed on the cluster (the error line follows the summary). */
  static final String JOB_FAILED_STOP = "the job failed on the cluster (the error line says why); the items not "
      + "counted above are not done yet: run the same command again to resume";

  /**
   * A job that failed on the cluster (a worker lost with no restarts left, a task failing every attempt): one
   * line on {@code err} after the summary, the stack trace in a file, exit code 4. The launcher JVM is
   * sound, so unlike {@link #haltNow} the caller returns normally.
   */
  static ExitCode reportJobFailure(Throwable error, String runner, PrintStream err) {
    if (!REPORTED.compareAndSet(false, true)) {
      awaitFirstReport();
      return ExitCode.INTERNAL_ERROR;
    }
    try {
      Path trace = stackTraceFile(error);
      err.println("error: the " + runner + " job failed on the cluster: " + describe(error, rootCause(error))
          + ". Stopped with exit code 4; the summary above is what the ledger holds: run the same command again to "
          + "resume (requests that were in flight are marked uncertain)" + (trace == null ? "" : ". Stack trace: " + trace));
      err.flush();
    } finally {
      REPORT_WRITTEN.countDown();
    }
    return ExitCode.INTERNAL_ERROR;
  }

  /** Reports {@code error} on the process's stderr and halts with exit code 4. */
  static void haltNow(Throwable error, String where) {
    report(error, where, System.err);
    halt();
  }

  private static void awaitFirstReport() {
    try {
      REPORT_WRITTEN.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Ends the process now with exit code 4: no shutdown hooks, no waiting for other threads. */
  static void halt() {
    System.out.flush();
    System.err.flush();
    Runtime.getRuntime().halt(ExitCode.INTERNAL_ERROR.code());
  }

  static String line(Throwable error, String where, Path trace) {
    Throwable root = rootCause(error);
    OutOfMemoryError oom = find(error, OutOfMemoryError.class);
    String what = oom != null
        ? "out of memory (" + oom.getMessage() + ") in " + where + ": start Java with a larger heap (-Xmx, or "
            + "JAVA_OPTS for pipelines/run) or send fewer requests at once (--maxInFlight, --itemsPerBundle)"
        : "internal error in " + where + ": " + describe(error, root);
    return "error: " + what + ". Stopped with exit code 4; the ledger is intact: run the same command again to "
        + "resume (requests that were in flight are marked uncertain and sent again)"
        + (trace == null ? "" : ". Stack trace: " + trace);
  }

  /**
   * The Direct runner ends a pipeline FAILED, without throwing, when a stage died of an Error; it logs the
   * Error itself. Out of memory is by far the likeliest, and a heap still nearly full after the last
   * collection says so.
   */
  static IllegalStateException pipelineEnded(String state) {
    long used = 0;
    long max = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      MemoryUsage after = pool.getType() == MemoryType.HEAP ? pool.getCollectionUsage() : null;
      if (after != null && after.getMax() > 0) {
        used += after.getUsed();
        max += after.getMax();
      }
    }
    boolean full = max > 0 && used > 0.85 * max;
    return new IllegalStateException("the pipeline ended " + state + ": a stage died of an Error (named in the log "
        + "line above)" + (full ? String.format(Locale.ROOT, "; the heap was %d of %d MB full after the last "
        + "collection, so most likely out of memory: start Java with a larger heap (-Xmx) or lower --maxInFlight",
        used >> 20, max >> 20) : ""));
  }

  /** The first message that is not a runner's or a future's wrapper, with the root cause if it adds to it. */
  private static String describe(Throwable error, Throwable root) {
    Throwable shown = error;
    while (shown != root && (shown.getMessage() == null || WRAPPERS.contains(shown.getClass().getSimpleName()))) {
      shown = shown.getCause();
    }
    String text = shown.getClass().getName() + (shown.getMessage() == null ? "" : ": " + shown.getMessage());
    if (shown != root && (root.getMessage() == null || !text.contains(root.getMessage()))) {
      text += " (caused by " + root + ")";
    }
    return text.replaceAll("\\s+", " ");
  }

  private static Throwable rootCause(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root;
  }

  private static <T extends Throwable> T find(Throwable error, Class<T> type) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  /** The stack trace goes to a file (and the debug log), never to the console. */
  private static Path stackTraceFile(Throwable error) {
    LOG.debug("fatal error", error);
    try {
      Path file = Files.createTempFile("glm-voice-batch-error-", ".txt");
      try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
        error.printStackTrace(w);
      }
      return file;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static void writeLastResort() {
    try {
      STDERR.write(LAST_RESORT);
      STDERR.flush();
    } catch (Throwable ignored) {
      // nothing left to tell the user with
    }
  }
}
