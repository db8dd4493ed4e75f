package io.glmvoicebatch.pipeline;

import io.glmvoicebatch.api.ApiError;
import io.glmvoicebatch.api.ClientSettings;
import io.glmvoicebatch.api.GlmVoiceClient;
import io.glmvoicebatch.ledger.LedgerLocation;
import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.ledger.LedgerSink;
import io.glmvoicebatch.ledger.LedgerStatus;
import io.glmvoicebatch.ledger.OutputFolder;
import io.glmvoicebatch.ledger.ResumeIndex;
import io.glmvoicebatch.ledger.RunTally;
import java.io.Serializable;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared things of one batch in one JVM: the client (with its in-flight limiter and, on a cluster, the
 * slot leases its settings carry), the ledger sink, the budget share, the disk room, the preparation pool,
 * the live tally and the resume index. Every stage of the batch in a JVM uses the same ones: one cap, one
 * writer per ledger, one budget.
 *
 * <p><b>Lifetime: reference-counted per batch and JVM, the one rule.</b> {@link #acquire} returns this JVM's
 * runtime of the batch its {@link Spec} names (by the spec's run id, new for every CLI run), creating it if
 * none is open; each acquire is paired with one {@link #close}. The last close closes the client (calls
 * cancelled, dispatcher and scheduler shut down, leases given back), closes the ledger sink (every line is
 * already durable: {@link #append} returns only then) and shuts the preparation pool, and forgets the
 * runtime, so a later acquire of the same spec starts a fresh one. The launcher acquires before the
 * pipeline runs and closes after the summary; each DoFn acquires in {@code @Setup} and closes in
 * {@code @Teardown}. So on the local runners (Direct, Flink {@code [local]}, Spark {@code local[N]}) the
 * stages share the launcher's runtime, and the launcher reads the tally and the stop reason after the run.
 *
 * <p>Why a registry at all: DoFns are serialized and run in other JVMs (a cluster's TaskManagers or
 * executors), where nothing the launcher built exists, and a JVM holds many DoFn instances of the batch
 * at once; they find their JVM's runtime by the batch's key, as JdbcIO's DoFns find their JVM's pooled data
 * source. Limit: a worker on which every instance of the batch tears down while the batch still runs (a
 * runner that runs a stage's subtasks one after another in one slot) opens a fresh runtime for the next,
 * whose budget share starts again from zero.
 */
public final class BatchRuntime implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BatchRuntime.class);
  /** The open runtimes of this JVM by run id; guarded by itself, as is {@link #holders}. */
  private static final Map<String, BatchRuntime> OPEN = new HashMap<>();

  /**
   * What a JVM needs to open a batch's runtime: serializable, carried by the stages to the workers.
   *
   * @param run the batch's key: new for every run, so two batches in one JVM never share a runtime
   * @param ledger where this run's lines go (the estimates file for a dry run)
   * @param client how to reach the service, or null for a stage that sends nothing
   * @param budget this JVM's share of {@code --maxCostRmb} as a plain decimal, or null for none
   * @param resume what earlier runs settled: a lazy index is read once per runtime
   */
  public record Spec(String run, OutputFolder folder, LedgerLocation ledger, RecordStamp records,
      ClientSettings client, String budget, ResumeIndex resume) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** A new run writing to {@code folder}'s ledger, resuming from it, with no budget. */
    public static Spec of(OutputFolder folder, RecordStamp records, ClientSettings client) {
      return new Spec(UUID.randomUUID().toString(), folder, folder.ledgerLocation(), records, client, null,
          ResumeIndex.lazy(folder.ledgerLocation()));
    }

    public Spec withLedger(LedgerLocation to) {
      return new Spec(run, folder, to, records, client, budget, resume);
    }

    public Spec withBudget(BigDecimal limit) {
      return new Spec(run, folder, ledger, records, client, limit == null ? null : limit.toPlainString(), resume);
    }

    public Spec withResume(ResumeIndex from) {
      return new Spec(run, folder, ledger, records, client, budget, from);
    }
  }

  private final Spec spec;
  private final RunTally tally = new RunTally();
  private final Budget budget;
  /** Null for an object store, whose writes fail only when made. */
  private final DiskRoom disk;
  private int holders; // guarded by OPEN
  private boolean closed; // guarded by this
  private GlmVoiceClient client;
  private PreparationPool pool;
  private LedgerSink sink;
  private ResumeIndex resume;

  private BatchRuntime(Spec spec) {
    this.spec = spec;
    this.budget = spec.budget() == null ? null : new Budget(new BigDecimal(spec.budget()));
    this.disk = spec.folder().isLocal() ? DiskRoom.on(spec.folder().root()) : null;
  }

  /** This JVM's runtime of the batch {@code spec} names, opened if none is; pair it with one {@link #close}. */
  public static BatchRuntime acquire(Spec spec) {
    synchronized (OPEN) {
      BatchRuntime runtime = OPEN.computeIfAbsent(spec.run(), k -> new BatchRuntime(spec));
      runtime.holders++;
      return runtime;
    }
  }

  /** Releases one hold; the last closes the client, the ledger sink and the pool. */
  @Override
  public void close() {
    synchronized (OPEN) {
      if (holders == 0) {
        LOG.warn("batch runtime {} released more often than acquired", spec.run());
        return;
      }
      if (--holders > 0) {
        return;
      }
      OPEN.remove(spec.run(), this);
    }
    GlmVoiceClient c;
    PreparationPool p;
    LedgerSink s;
    synchronized (this) {
      closed = true;
      c = client;
      p = pool;
      s = sink;
    }
    if (c != null) {
      c.close();
    }
    if (p != null) {
      p.shutdown();
    }
    if (s != null) {
      s.close();
    }
  }

  public Spec spec() {
    return spec;
  }

  public LedgerLocation ledger() {
    return spec.ledger();
  }

  public OutputFolder folder() {
    return spec.folder();
  }

  public RecordStamp records() {
    return spec.records();
  }

  /** This run's live counts in this JVM (the progress line, the interrupt notice). */
  public RunTally tally() {
    return tally;
  }

  /** The budget share, or null without {@code --maxCostRmb}. */
  public Budget budget() {
    return budget;
  }

  /** The room for replies on a local folder, or null for an object store. */
  public DiskRoom diskRoom() {
    return disk;
  }

  /** The batch's client in this JVM, opened on first use. */
  public synchronized GlmVoiceClient client() {
    checkOpen();
    if (client == null) {
      if (spec.client() == null) {
        throw new IllegalStateException("batch " + spec.run() + " has no client settings: it sends nothing");
      }
      client = GlmVoiceClient.create(spec.client());
    }
    return client;
  }

  /** Requests on the wire now from this JVM (0 before the client is first used). */
  public synchronized int inFlight() {
    return client == null ? 0 : client.inFlight();
  }

  /** Why the client stopped the batch (a 401, no balance, the service unreachable), or null. */
  public synchronized ApiError stopReason() {
    return client == null ? null : client.stopReason();
  }

  synchronized PreparationPool preparationPool() {
    checkOpen();
    if (pool == null) {
      pool = PreparationPool.forCap(spec.client().maxInFlight(), spec.client().queueFactor());
    }
    return pool;
  }

  /** What earlier runs settled, read once per runtime. */
  public synchronized ResumeIndex resume() {
    if (resume == null) {
      resume = spec.resume().loaded();
    }
    return resume;
  }

  /** Appends durably and counts the line in the tally; returns the record for chaining into the output. */
  public LedgerRecord append(LedgerRecord record) {
    LedgerSink s;
    synchronized (this) {
      checkOpen();
      if (sink == null) {
        sink = spec.ledger().openSink();
      }
      s = sink;
    }
    // An intent is counted before it is written, an outcome after: whoever sees the line on disk (a
    // Ctrl-C report of what is in flight) also finds it in the tally.
    boolean intent = record.status() == LedgerStatus.SENDING;
    if (intent) {
      tally.count(record);
    }
    s.append(record);
    if (!intent) {
      tally.count(record);
    }
    return record;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the runtime of batch " + spec.run() + " is closed");
    }
  }
}
