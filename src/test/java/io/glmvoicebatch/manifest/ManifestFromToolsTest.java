package io.glmvoicebatch.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Manifests byte for byte as spreadsheet programs and editors save them. */
class ManifestFromToolsTest {
  static final String PROMPT_ZH = "请用简单的话回答学生的问题。";
  @TempDir Path dir;

  private Manifest read(String name, byte[] bytes) throws Exception {
    Path f = dir.resolve(name);
    Files.write(f, bytes);
    return ManifestReader.read(f);
  }

  private static byte[] bytes(Charset c, String text, byte... bom) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(bom);
    out.writeBytes(text.getBytes(c));
    return out.toByteArray();
  }

  private static List<ManifestEncoding.Line> lines(byte[] b) throws Exception {
    return ManifestEncoding.detect(b, "m.csv").lines(b);
  }

  @Test
  void excelsTrailingEmptyRowsAreNoItems() throws Exception {
    Manifest m = read("m.csv", bytes(StandardCharsets.UTF_8, "id,audio,prompt,,\r\na,a.wav,hi,,\r\n,,,,\r\n,,,,\r\n"));
    assertEquals(List.of(), m.problems());
    assertEquals(List.of("a"), m.items().stream().map(ManifestItem::id).toList());
  }

  @Test
  void trailingTextAfterAJsonObjectIsRefusedWithItsLine() throws Exception {
    Manifest m = read("m.jsonl", bytes(StandardCharsets.UTF_8,
        "{\"id\":\"a\",\"audio\":\"a.wav\"}\n{\"id\":\"b\",\"audio\":\"b.wav\"} garbage\n{\"id\":\"c\",\"audio\":\"c.wav\"}{\"id\":\"d\"}\n"
            + "{\"id\":\"e\",\"audio\":\"e.wav\"}   \n"));
    assertEquals(List.of("a", "e"), m.items().stream().map(ManifestItem::id).toList());
    assertEquals(List.of(2, 3), m.problems().stream().map(ManifestProblem::line).toList());
    assertTrue(m.problems().get(0).message().contains("unexpected text after the JSON object at column 28: 'garbage'"),
        m.problems().get(0).message());
  }

  /** Chinese Windows Excel's "CSV": GBK with CRLF; Excel's "Unicode Text": UTF-16LE with a BOM; UTF-16BE JSONL. */
  @Test
  void encodingsAreDetected() throws Exception {
    List<ManifestEncoding.Line> gbk = lines(bytes(Charset.forName("GBK"), "id,audio,prompt\r\n张三,a.wav," + PROMPT_ZH + "\r\n,,\r\n"));
    assertEquals(List.of(new ManifestEncoding.Line(1, "id,audio,prompt", null),
        new ManifestEncoding.Line(2, "张三,a.wav," + PROMPT_ZH, null), new ManifestEncoding.Line(3, ",,", null)), gbk);
    List<ManifestEncoding.Line> utf16 = lines(bytes(StandardCharsets.UTF_16LE, "id\taudio\r\n张三\ta.wav\r\n", (byte) 0xFF, (byte) 0xFE));
    assertEquals("张三\ta.wav", utf16.get(1).text());
    List<ManifestEncoding.Line> be = lines(bytes(StandardCharsets.UTF_16BE, "{\"prompt\":\"" + PROMPT_ZH + "\"}\n", (byte) 0xFE, (byte) 0xFF));
    assertEquals("{\"prompt\":\"" + PROMPT_ZH + "\"}", be.get(0).text());
    List<ManifestEncoding.Line> bom8 = lines(bytes(StandardCharsets.UTF_8, "id;audio\n", (byte) 0xEF, (byte) 0xBB, (byte) 0xBF));
    assertEquals("id;audio", bom8.get(0).text());
    UnusableManifestException e = assertThrows(UnusableManifestException.class, () -> lines(
        bytes(Charset.forName("UTF-32LE"), "{}\n", (byte) 0xFF, (byte) 0xFE, (byte) 0, (byte) 0)));
    assertTrue(e.getMessage().contains("UTF-32LE") && e.getMessage().contains("CSV UTF-8"), e.getMessage());
  }

  /** One line pasted from a Latin-1 file into a UTF-8 manifest: that line's problem, with its number. */
  @Test
  void anInvalidUtf8LineIsThatLinesProblem() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(("{\"prompt\":\"" + PROMPT_ZH + "\"}\n{\"prompt\":\"caf").getBytes(StandardCharsets.UTF_8));
    out.write(0xE9);
    out.writeBytes("\"}\n{}\n".getBytes(StandardCharsets.UTF_8));
    List<ManifestEncoding.Line> l = lines(out.toByteArray());
    assertNull(l.get(0).problem());
    assertEquals(2, l.get(1).number());
    assertTrue(l.get(1).problem().startsWith("not valid UTF-8 (byte 0xE9 at byte 15 of the line)"), l.get(1).problem());
    assertEquals("{}", l.get(2).text());
  }
}
