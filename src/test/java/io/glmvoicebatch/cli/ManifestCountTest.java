package io.glmvoicebatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.glmvoicebatch.pipeline.ManifestInput;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The progress line's total, counted by the launcher from the manifest file itself. */
class ManifestCountTest {
  @TempDir Path dir;

  @Test
  void aGzippedManifestWithABadLineCountsEveryItemAndBadLine() throws Exception {
    Path manifest = dir.resolve("课堂.jsonl.gz");
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < 2000; i++) {
      lines.append("{\"id\":\"第").append(i).append("课\",\"audio\":\"a.wav\",\"prompt\":\"p\"}\n");
    }
    lines.append("{torn\n");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(manifest))) {
      out.write(lines.toString().getBytes(StandardCharsets.UTF_8));
    }
    ManifestCount count = ManifestCount.start(ManifestInput.file(manifest.toString()));
    awaitEnded(count);
    assertTrue(count.complete());
    assertEquals(2001, count.total(0));
    assertEquals(2001, count.total(5000), "once complete, its own count, not the pipeline's");
  }

  @Test
  void aManifestItCannotReadLeavesThePipelinesCountAsALowerBound() throws Exception {
    ManifestCount count = ManifestCount.start(ManifestInput.file(dir.resolve("gone.jsonl").toString()));
    awaitEnded(count);
    assertFalse(count.complete());
    assertEquals(7, count.total(7));
  }

  private static void awaitEnded(ManifestCount count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    while (!count.ended()) {
      assertTrue(System.nanoTime() < deadline, "not counted within a minute");
      Thread.sleep(10);
    }
  }
}
