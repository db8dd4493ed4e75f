package io.glmvoicebatch.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestReaderTest {
  @TempDir Path dir;

  private Manifest jsonl(String... lines) throws IOException {
    Path f = dir.resolve("m.jsonl");
    Files.write(f, List.of(lines), StandardCharsets.UTF_8);
    return ManifestReader.read(f);
  }

  private static String problemOnLine(Manifest m, int line) {
    return m.problems().stream().filter(p -> p.line() == line).findFirst().orElseThrow().message();
  }

  @Test
  void readsItemsAndResolvesAudioAgainstTheManifestFolder() throws IOException {
    Manifest m = jsonl(
        "{\"id\":\"a\",\"audio\":\"clips/a.wav\",\"prompt\":\"hi\",\"max_tokens\":512,\"temperature\":0.7,\"top_p\":0.9}",
        "",
        "{\"id\":\"b\",\"audio\":\"/abs/b.wav\",\"system\":\"be kind\"}");
    assertEquals(2, m.items().size());
    assertTrue(m.problems().isEmpty());
    ManifestItem a = m.items().get(0);
    assertEquals(dir.resolve("clips/a.wav").toAbsolutePath().toString(), a.audio());
    assertEquals("hi", a.params().prompt());
    assertEquals(512, a.params().maxTokens());
    assertEquals(0.7, a.params().temperature());
    assertEquals(0.9, a.params().topP());
    assertEquals(1, a.line());
    ManifestItem b = m.items().get(1);
    assertEquals("/abs/b.wav", b.audio());
    assertEquals(3, b.line());
    assertNull(b.params().prompt());
    assertEquals("be kind", b.params().system());
  }

  @Test
  void everyBadLineBecomesAProblemNamingItsLineAndTheRestGoOn() throws IOException {
    Manifest m = jsonl(
        "{\"id\":\"good1\",\"audio\":\"a.wav\"}",
        "{\"id\":\"broken\", \"audio\": ",
        "{\"audio\":\"a.wav\"}",
        "{\"id\":\"good1\",\"audio\":\"b.wav\"}",
        "{\"id\":\"../escape\",\"audio\":\"a.wav\"}",
        "{\"id\":\"a/b\",\"audio\":\"a.wav\"}",
        "{\"id\":\"ctl\\u0007\",\"audio\":\"a.wav\"}",
        "{\"id\":\"noaudio\"}",
        "{\"id\":\"hot\",\"audio\":\"a.wav\",\"temperature\":1.5}",
        "{\"id\":\"typo\",\"audio\":\"a.wav\",\"max_token\":5}",
        "[1,2]",
        "{\"id\":\"good2\",\"audio\":\"c.wav\"}");
    assertEquals(List.of("good1", "good2"), m.items().stream().map(ManifestItem::id).toList());
    assertEquals(10, m.problems().size());
    assertTrue(problemOnLine(m, 2).startsWith("manifest line 2: invalid JSON"), problemOnLine(m, 2));
    assertEquals("manifest line 3: missing required field 'id'", problemOnLine(m, 3));
    assertEquals("manifest line 4: duplicate id 'good1' (first used on line 1)", problemOnLine(m, 4));
    assertTrue(problemOnLine(m, 5).contains("'..'"), problemOnLine(m, 5));
    assertTrue(problemOnLine(m, 6).contains("path separator '/'"), problemOnLine(m, 6));
    assertTrue(problemOnLine(m, 7).contains("control character (U+0007)"), problemOnLine(m, 7));
    assertEquals("manifest line 8: item 'noaudio' is missing required field 'audio'", problemOnLine(m, 8));
    assertEquals("manifest line 9: item 'hot': temperature must be in [0.0, 1.0], got 1.5", problemOnLine(m, 9));
    assertTrue(problemOnLine(m, 10).contains("unknown field 'max_token'"), problemOnLine(m, 10));
    assertEquals("manifest line 11: expected a JSON object, found array", problemOnLine(m, 11));
    // Problems keep a usable id where there is one, else a line key, so ledger ids stay unique.
    assertEquals("noaudio", m.problems().stream().filter(p -> p.line() == 8).findFirst().orElseThrow().id());
    assertEquals("line-4", m.problems().stream().filter(p -> p.line() == 4).findFirst().orElseThrow().id());
  }

  @Test
  void csvWithQuotedCommasQuotesAndNewlines() throws IOException {
    Path f = dir.resolve("m.csv");
    Files.writeString(f, "id,audio,prompt,max_tokens\r\n"
        + "a,a.wav,\"Hello, \"\"teacher\"\"\",100\r\n"
        + "b,b.wav,\"two\nlines\",\r\n"
        + "c,c.wav\r\n"
        + "d,d.wav,\"open,\r\n", StandardCharsets.UTF_8);
    Manifest m = ManifestReader.read(f);
    assertEquals(List.of("a", "b"), m.items().stream().map(ManifestItem::id).toList());
    assertEquals("Hello, \"teacher\"", m.items().get(0).params().prompt());
    assertEquals(100, m.items().get(0).params().maxTokens());
    assertEquals("two\nlines", m.items().get(1).params().prompt());
    assertEquals(3, m.items().get(1).line());
    assertEquals("manifest line 5: has 2 columns, the header has 4", problemOnLine(m, 5));
    assertEquals("manifest line 6: unterminated quoted field", problemOnLine(m, 6));
  }

  @Test
  void folderOfWavsBecomesAManifest() throws IOException {
    Files.write(dir.resolve("b.wav"), new byte[] {1});
    Files.write(dir.resolve("a.WAV"), new byte[] {1});
    Files.write(dir.resolve("notes.txt"), new byte[] {1});
    Manifest m = ManifestReader.fromFolder(dir, "Answer kindly.");
    assertEquals(List.of("a", "b"), m.items().stream().map(ManifestItem::id).toList());
    assertEquals("Answer kindly.", m.items().get(1).params().prompt());
  }
}
