package io.glmvoicebatch.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The ledger on an object store: part objects, group commit, folding, and reads that never double-count. */
class LedgerPartsTest {
  @RegisterExtension final ObjectStoreRoot objects = new ObjectStoreRoot();

  private static LedgerRecord line(String id, int n) {
    return LedgerRecord.builder().id(id).status(LedgerStatus.SENDING).call(cf -> cf.withRequestId(id + "-r" + n).withAttempts(n)).build();
  }

  @Test
  void concurrentAppendsShareObjectsKeepEachThreadsOrderAndFoldIntoOneLedgerObject() throws Exception {
    LedgerLocation ledger = LedgerLocation.object("objstore://b/out/ledger.jsonl");
    int threads = 8;
    int perThread = 40;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    try (LedgerSink sink = ledger.openSink()) {
      for (int t = 0; t < threads; t++) {
        String id = "item-" + t;
        done.add(pool.submit(() -> {
          go.await();
          for (int n = 1; n <= perThread; n++) {
            sink.append(line(id, n));
          }
          return null;
        }));
      }
      go.countDown();
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    List<Path> parts = parts(objects.dir().resolve("b/out/ledger.jsonl.parts"));
    assertTrue(parts.size() < threads * perThread, "lines written together share a part: " + parts.size());
    assertTrue(parts.size() > 1);

    LedgerView before = ledger.read();
    assertOrderedPerItem(before, threads, perThread);
    ledger.compact();
    assertEquals(List.of(), parts(objects.dir().resolve("b/out/ledger.jsonl.parts")), "folded parts are deleted");
    LedgerView after = ledger.read();
    assertEquals(lines(before), lines(after), "folding changes where lines live, not what or in which order");
  }

  @Test
  void partsAlreadyFoldedIntoTheLedgerAreNotReadTwice() throws Exception {
    LedgerLocation ledger = LedgerLocation.object("objstore://b/crash/ledger.jsonl");
    try (LedgerSink sink = ledger.openSink()) {
      sink.append(line("a", 1));
      sink.append(line("b", 1));
    }
    Path partsDir = objects.dir().resolve("b/crash/ledger.jsonl.parts");
    List<Path> parts = parts(partsDir);
    // A fold that wrote the ledger object and died before deleting the parts:
    List<String> folded = new ArrayList<>();
    for (Path p : parts) {
      folded.addAll(Files.readAllLines(p, StandardCharsets.UTF_8));
    }
    Files.write(objects.dir().resolve("b/crash/ledger.jsonl"), folded, StandardCharsets.UTF_8);
    assertEquals(2, ledger.read().lines().size(), "each line once, though it is in the ledger and in a part");

    try (LedgerSink sink = ledger.openSink()) {
      sink.append(line("a", 2)); // a later run's line, in a new part: read after the folded ones
    }
    LedgerView view = ledger.read();
    assertEquals(3, view.lines().size());
    assertEquals(2, view.latest().get("a").call().attempts());
    ledger.compact();
    assertEquals(3, ledger.read().lines().size());
    assertEquals(List.of(), parts(partsDir));
  }

  @Test
  void aFailedDurableWriteFailsEveryAppendThatWaitedOnItAndTheNextWriteStillWorks() {
    AtomicInteger writes = new AtomicInteger();
    List<String> durable = Collections.synchronizedList(new ArrayList<>());
    GroupCommit commit = new GroupCommit("test ledger", lines -> {
      if (writes.incrementAndGet() == 1) {
        throw new IOException("disk full");
      }
      lines.forEach(l -> durable.add(new String(l, StandardCharsets.UTF_8)));
    });
    UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> commit.append("x".getBytes()));
    assertTrue(e.getMessage().contains("test ledger") && e.getMessage().contains("disk full"), e.getMessage());
    commit.append("y".getBytes());
    assertEquals(List.of("y"), durable);
  }

  @Test
  void localLedgerGroupCommitKeepsEveryLineWholeUnderContention() throws Exception {
    Path file = objects.dir().resolve("local/ledger.jsonl");
    LedgerLocation ledger = LedgerLocation.file(file);
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try (LedgerSink sink = ledger.openSink()) {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 6; t++) {
        String id = "t" + t;
        done.add(pool.submit(() -> {
          for (int n = 1; n <= 50; n++) {
            sink.append(line(id, n));
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    LedgerView view = ledger.read();
    assertTrue(view.unreadableLines().isEmpty(), view.unreadableLines().toString());
    assertOrderedPerItem(view, 6, 50);
  }

  private static void assertOrderedPerItem(LedgerView view, int items, int perItem) {
    assertEquals(items * perItem, view.lines().size());
    Map<String, Integer> last = new HashMap<>();
    for (LedgerRecord r : view.lines()) {
      int previous = last.getOrDefault(r.id(), 0);
      assertEquals(previous + 1, r.call().attempts(), "lines of " + r.id() + " out of order");
      last.put(r.id(), r.call().attempts());
    }
  }

  private static List<String> lines(LedgerView view) {
    List<String> out = new ArrayList<>();
    view.lines().forEach(r -> out.add(r.call().requestId()));
    return out;
  }

  private static List<Path> parts(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(dir)) {
      return list.sorted().toList();
    }
  }
}
