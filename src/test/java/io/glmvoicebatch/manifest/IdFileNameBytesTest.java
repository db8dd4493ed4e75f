package io.glmvoicebatch.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ids of at most 128 characters but over 255 UTF-8 bytes were sent and billed, then could not be stored. */
class IdFileNameBytesTest {
  @TempDir Path dir;

  @Test
  void idsWhoseFileNamesWouldExceed255BytesAreManifestErrorsOfTheirLine() throws Exception {
    String han100 = "长".repeat(100); // 300 bytes
    String emoji64 = "😀".repeat(64); // 256 bytes
    String han66 = "长".repeat(66); // 198 bytes: its longest file name stays under 255
    Path file = dir.resolve("m.jsonl");
    java.nio.file.Files.write(file, List.of(
        "{\"id\":\"" + han100 + "\",\"audio\":\"a.wav\"}",
        "{\"id\":\"" + emoji64 + "\",\"audio\":\"a.wav\"}",
        "{\"id\":\"" + han66 + "\",\"audio\":\"a.wav\"}"), java.nio.charset.StandardCharsets.UTF_8);
    Manifest m = ManifestReader.read(file);
    assertEquals(1, m.items().size());
    assertEquals(han66, m.items().get(0).id());
    assertEquals(2, m.problems().size());
    assertTrue(m.problems().get(0).message().contains("300 bytes in UTF-8"), m.problems().get(0).message());
    assertEquals(1, m.problems().get(0).line());
    assertTrue(m.problems().get(1).message().contains("256 bytes in UTF-8"), m.problems().get(1).message());
    // The longest name made from an accepted id fits a 255-byte file name.
    String longest = "." + han66 + ".part000.wav.tmp-" + Long.MAX_VALUE;
    assertTrue(longest.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 255);
  }
}
