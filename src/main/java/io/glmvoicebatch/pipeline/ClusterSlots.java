package io.glmvoicebatch.pipeline;

import io.glmvoicebatch.api.SendSlots;
import io.glmvoicebatch.ledger.LedgerLocation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The account's in-flight cap shared by the worker JVMs of a cluster, as {@code cap} lease files
 * {@code .slots/<run>/<k>} in the shared output folder (the one holding the ledger and {@code .claims/}, which
 * already relies on atomic exclusive create). An attempt takes a slot by creating a free {@code <k>}
 * exclusively, after its JVM permit and before it is sent, and deletes it when the permit goes back; so any
 * worker with work can use the whole cap, instead of each holding floor(cap / workers).
 *
 * <p>A lease names its holder (host, pid, JVM start). The holder touches its leases every quarter of the
 * lease time; a lease not touched for the lease time belongs to a dead worker and is taken over. Taking over
 * goes through {@code <k>.reclaim}, created exclusively, so two workers never both delete-and-take the same
 * stale lease. A staleness check opens the file before reading its time (on NFS, opening revalidates the
 * cached attributes). So the lease time must exceed the clock skew between hosts.
 *
 * <p>Serializable (it travels in {@code ClientSettings}); the per-JVM state is transient and opened on first
 * use in the copy the JVM's shared client holds.
 */
public final class ClusterSlots implements SendSlots {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(ClusterSlots.class);
  static final String FOLDER = ".slots";
  /** Short enough that a slot another worker frees is taken within a few percent of a reply's time. */
  static final Duration POLL = Duration.ofMillis(20);

  private final String dir;
  private final int cap;
  private final long leaseMillis;
  /** Null: this JVM (host, pid, start); tests name several holders in one JVM. */
  private final String holderName;

  private transient Set<Integer> held;
  private transient byte[] holder;
  private transient ScheduledExecutorService heartbeat;
  /** When a scan last found every slot taken; the next one waits a poll interval unless we freed one since. */
  private transient long lastFullScanNanos;
  private transient boolean freedSinceScan;

  ClusterSlots(Path dir, int cap, Duration lease, String holderName) {
    if (cap < 1) {
      throw new IllegalArgumentException("cap " + cap);
    }
    if (lease.toMillis() < 4) {
      throw new IllegalArgumentException("lease time " + lease + " too short");
    }
    this.dir = dir.toAbsolutePath().normalize().toString();
    this.cap = cap;
    this.leaseMillis = lease.toMillis();
    this.holderName = holderName;
  }

  /**
   * Slots for one run of a batch whose ledger is {@code ledger}; null if the ledger is on an object store,
   * which has no exclusive create (the caller falls back to splitting the cap).
   */
  public static ClusterSlots of(LedgerLocation ledger, String run, int cap, Duration lease) {
    return ledger.isLocal() ? new ClusterSlots(ledger.file().resolveSibling(FOLDER).resolve(run), cap, lease, null)
        : null;
  }

  @Override
  public synchronized Slot tryTake() {
    open();
    if (!freedSinceScan && System.nanoTime() - lastFullScanNanos < POLL.toNanos()) {
      return null; // another caller just found them all taken
    }
    try {
      for (int k = 0; k < cap; k++) {
        if (!held.contains(k) && (create(k) || takeOverIfStale(k))) {
          held.add(k);
          int slot = k;
          return () -> release(slot);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot take a slot in " + dir, e);
    }
    lastFullScanNanos = System.nanoTime();
    freedSinceScan = false;
    return null;
  }

  @Override
  public Duration pollInterval() {
    return POLL;
  }

  /** Deletes the slot's lease if it is still ours (a worker paused past the lease time may have lost it). */
  private synchronized void release(int k) {
    if (held == null || !held.remove(k)) {
      return;
    }
    freedSinceScan = true;
    Path lease = Path.of(dir, Integer.toString(k));
    try {
      if (Arrays.equals(Files.readAllBytes(lease), holder)) {
        Files.delete(lease);
      }
    } catch (NoSuchFileException gone) {
      // Taken over and released by another worker meanwhile: nothing of ours left.
    } catch (IOException e) {
      // Left behind: it is no longer touched, so it is taken over after the lease time.
      LOG.warn("cannot give back cluster slot {} in {} ({}); it is reused after the lease time", k, dir, e.toString());
    }
  }

  @Override
  public synchronized void close() {
    if (held == null) {
      return;
    }
    heartbeat.shutdownNow();
    for (Integer k : List.copyOf(held)) {
      release(k);
    }
    held = null;
  }

  /** Slots this JVM holds now (tests). */
  synchronized int held() {
    return held == null ? 0 : held.size();
  }

  private void open() {
    if (held != null) {
      return;
    }
    try {
      Files.createDirectories(Path.of(dir));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir + " for the cluster's slots", e);
    }
    held = new HashSet<>();
    holder = (holderName != null ? holderName : thisJvm()).getBytes(StandardCharsets.UTF_8);
    lastFullScanNanos = System.nanoTime() - POLL.toNanos();
    heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "cluster-slots-heartbeat");
      t.setDaemon(true);
      return t;
    });
    long every = Math.max(1, leaseMillis / 4);
    heartbeat.scheduleWithFixedDelay(this::touchHeld, every, every, TimeUnit.MILLISECONDS);
  }

  private boolean create(int k) throws IOException {
    try {
      Files.write(Path.of(dir, Integer.toString(k)), holder, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      return true;
    } catch (FileAlreadyExistsException taken) {
      return false;
    }
  }

  /** Takes slot k over if its lease was not touched for the lease time (its holder is gone). */
  private boolean takeOverIfStale(int k) throws IOException {
    Path lease = Path.of(dir, Integer.toString(k));
    String staleHolder = staleHolder(lease);
    if (staleHolder == null) {
      return false;
    }
    Path marker = Path.of(dir, k + ".reclaim");
    try {
      Files.write(marker, holder, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    } catch (FileAlreadyExistsException busy) {
      if (staleHolder(marker) != null) {
        Files.deleteIfExists(marker); // a worker that died while taking it over
      }
      return false;
    }
    try {
      // Checked again under the marker: the lease may have been released and taken afresh meanwhile.
      staleHolder = staleHolder(lease);
      if (staleHolder == null) {
        return false;
      }
      LOG.warn("cluster slot {}: lease of {} not renewed for {} s, its worker is gone; taken over", k, staleHolder,
          leaseMillis / 1000.0);
      Files.deleteIfExists(lease);
      return create(k);
    } finally {
      Files.deleteIfExists(marker);
    }
  }

  /** The holder named in a lease not touched for the lease time; null if it is fresh or gone. */
  private String staleHolder(Path lease) throws IOException {
    try {
      byte[] named = Files.readAllBytes(lease); // opened first: NFS revalidates the attributes on open
      long age = System.currentTimeMillis() - Files.getLastModifiedTime(lease).toMillis();
      return age > leaseMillis ? new String(named, StandardCharsets.UTF_8) : null;
    } catch (NoSuchFileException released) {
      return null;
    }
  }

  /** The heartbeat: touches every lease this JVM holds, so the others know its worker is alive. */
  private void touchHeld() {
    List<Integer> mine;
    synchronized (this) {
      if (held == null) {
        return;
      }
      mine = List.copyOf(held);
    }
    FileTime now = FileTime.from(Instant.now());
    for (int k : mine) {
      try {
        Files.setLastModifiedTime(Path.of(dir, Integer.toString(k)), now);
      } catch (IOException e) {
        LOG.warn("cannot renew cluster slot {} in {} ({})", k, dir, e.toString());
      }
    }
  }

  private static String thisJvm() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "unknown-host";
    }
    return host + " pid " + ProcessHandle.current().pid() + " started "
        + Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());
  }

  /** Removes every run's slots once the batch is over (the driver, after the pipeline ended). */
  public static void clear(LedgerLocation ledger) {
    if (!ledger.isLocal()) {
      return;
    }
    Path slots = ledger.file().resolveSibling(FOLDER);
    try (Stream<Path> paths = Files.exists(slots) ? Files.walk(slots) : Stream.empty()) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // Harmless: a finished run's slots are never consulted again.
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClusterSlots s && s.dir.equals(dir) && s.cap == cap && s.leaseMillis == leaseMillis
        && Objects.equals(s.holderName, holderName);
  }

  @Override
  public int hashCode() {
    return Objects.hash(dir, cap, leaseMillis, holderName);
  }

  @Override
  public String toString() {
    return "ClusterSlots[" + cap + " in " + dir + ", lease " + leaseMillis + " ms]";
  }
}
