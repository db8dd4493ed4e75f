package io.glmvoicebatch.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerTest {
  @TempDir Path dir;

  @Test
  void costIsExactDecimal() {
    BigDecimal price = Cost.DEFAULT_PRICE_PER_MILLION_TOKENS;
    assertEquals("0.03576", Cost.format(Cost.of(447, price)));
    assertEquals("0.06", Cost.format(Cost.of(750, price)));
    assertEquals("0", Cost.format(Cost.of(0, price)));
    assertEquals("0.00008", Cost.format(Cost.of(1, price)));
    assertEquals("80", Cost.format(Cost.of(1_000_000, price)));
    // A sum of many tiny costs stays exact where doubles drift.
    BigDecimal sum = BigDecimal.ZERO;
    for (int i = 0; i < 100_000; i++) {
      sum = sum.add(Cost.of(1, price));
    }
    assertEquals("8", Cost.format(sum.stripTrailingZeros()));
    assertEquals("0.0000123", Cost.format(Cost.of(1, new BigDecimal("12.3"))));
  }

  @Test
  void recordRoundTripsWithSchemaNames() throws IOException {
    Path file = dir.resolve("ledger.jsonl");
    LedgerRecord r = LedgerRecord.builder().id("a").status(LedgerStatus.OK).call(cf -> cf.withRequestId("gvb123"))
        .usage(UsageCost.billed(107, 340, 447, new BigDecimal("80"), "RMB"))
        .error(new LedgerError("1302", 429, "并发数过高")).call(cf -> cf.withAttempts(2)).build();
    try (LedgerWriter w = LedgerWriter.open(file)) {
      w.append(r);
    }
    String line = Files.readString(file, StandardCharsets.UTF_8);
    for (String key : List.of("\"id\":\"a\"", "\"status\":\"ok\"", "\"request_id\":\"gvb123\"", "\"prompt_tokens\":107",
        "\"completion_tokens\":340", "\"total_tokens\":447", "\"cost_rmb\":\"0.03576\"", "\"response_id\":null",
        "\"http_status\":429", "\"attempts\":2", "\"started_at\":null", "\"finished_at\":null")) {
      assertTrue(line.contains(key), key + " missing in " + line);
    }
    LedgerView view = LedgerView.read(file);
    assertEquals(r, view.lines().get(0));
  }

  @Test
  void tornLastLineIsSetAsideNotDeleted() throws IOException {
    Path file = dir.resolve("ledger.jsonl");
    try (LedgerWriter w = LedgerWriter.open(file)) {
      w.append(LedgerRecord.builder().id("a").status(LedgerStatus.OK).build());
    }
    Files.writeString(file, "{\"id\":\"b\",\"sta", java.nio.file.StandardOpenOption.APPEND);
    try (LedgerWriter w = LedgerWriter.open(file)) {
      w.append(LedgerRecord.builder().id("c").status(LedgerStatus.OK).build());
    }
    LedgerView view = LedgerView.read(file);
    assertEquals(List.of("a", "c"), view.lines().stream().map(LedgerRecord::id).toList());
    assertTrue(view.unreadableLines().isEmpty());
    assertEquals("{\"id\":\"b\",\"sta\n", Files.readString(dir.resolve("ledger.jsonl.corrupt")));
  }

  @Test
  void manyThreadsNeverInterleaveWithinALine() throws Exception {
    Path file = dir.resolve("ledger.jsonl");
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> futures = new ArrayList<>();
    String longText = "x".repeat(5000);
    // One writer shared by the threads, as a batch's runtime shares one per JVM.
    try (LedgerWriter w = LedgerWriter.open(file)) {
      for (int t = 0; t < 8; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          for (int i = 0; i < 50; i++) {
            w.append(LedgerRecord.builder().id("t" + thread + "-" + i).status(LedgerStatus.FAILED)
                .error(LedgerError.of("x", longText)).build());
          }
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    }
    pool.shutdown();
    LedgerView view = LedgerView.read(file);
    assertEquals(400, view.lines().size());
    assertTrue(view.unreadableLines().isEmpty());
    assertEquals(400, view.latest().size());
  }

  @Test
  void lastLineOfAnIdIsItsState() throws IOException {
    Path file = dir.resolve("ledger.jsonl");
    try (LedgerWriter w = LedgerWriter.open(file)) {
      w.append(LedgerRecord.builder().id("a").status(LedgerStatus.SENDING).build());
      w.append(LedgerRecord.builder().id("a").status(LedgerStatus.FAILED).build());
      w.append(LedgerRecord.builder().id("b").status(LedgerStatus.SENDING).build());
      w.append(LedgerRecord.builder().id("a").status(LedgerStatus.OK).input(inf -> inf.withFingerprint(inf.sha256(), "f1", 1)).build());
    }
    ResumeIndex index = ResumeIndex.of(LedgerView.read(file));
    assertTrue(index.alreadyDone("a", "f1"));
    assertTrue(!index.alreadyDone("a", "f2"));
    assertEquals(LedgerStatus.SENDING, index.lastStatus("b"));
  }
}
