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

  /** Chinese Windows Excel, "CSV (Comma delimited)": GBK, CRLF, and a ",," row for every formatted empty row. */
  @Test
  void gbkCsvFromChineseExcelWithTrailingEmptyRows() throws Exception {
    String csv = "id,audio,prompt\r\n张三-提问,clips/a.wav," + PROMPT_ZH + "\r\nlisi,clips/b.wav,为什么天空是蓝色的？\r\n,,\r\n,,\r\n";
    Manifest m = read("lessons.csv", bytes(Charset.forName("GBK"), csv));
    assertEquals(List.of(), m.problems());
    assertEquals(2, m.items().size());
    assertEquals("张三-提问", m.items().get(0).id());
    assertEquals(PROMPT_ZH, m.items().get(0).params().prompt());
    assertEquals("为什么天空是蓝色的？", m.items().get(1).params().prompt());
    assertEquals(3, m.items().get(1).line());
  }

  /** Excel "CSV UTF-8" where the list separator is ';' (most of Europe): a UTF-8 BOM and semicolons; and tabs. */
  @Test
  void semicolonCsvWithUtf8BomAndTabSeparated() throws Exception {
    String csv = "id;audio;prompt;temperature\r\na;a.wav;\"Hello; world\";0.5\r\nb;b.wav;" + PROMPT_ZH + ";\r\n;;;\r\n";
    Manifest m = read("m.csv", bytes(StandardCharsets.UTF_8, csv, (byte) 0xEF, (byte) 0xBB, (byte) 0xBF));
    assertEquals(List.of(), m.problems());
    assertEquals(2, m.items().size());
    assertEquals("Hello; world", m.items().get(0).params().prompt());
    assertEquals(0.5, m.items().get(0).params().temperature());
    assertEquals(PROMPT_ZH, m.items().get(1).params().prompt());
    Manifest tsv = read("t.csv", bytes(StandardCharsets.UTF_8, "id\taudio\tprompt\na\ta.wav\thi, there\n"));
    assertEquals(List.of(), tsv.problems());
    assertEquals("hi, there", tsv.items().get(0).params().prompt());
  }

  @Test
  void aCsvWithoutUsableColumnsOrWithoutAudioIsUnusable() throws Exception {
    UnusableManifestException e = assertThrows(UnusableManifestException.class,
        () -> read("m.csv", bytes(StandardCharsets.UTF_8, "name|file|question\nx|x.wav|hi\n")));
    assertTrue(e.getMessage().contains("no usable column in the CSV header 'name|file|question'"), e.getMessage());
    e = assertThrows(UnusableManifestException.class,
        () -> read("m2.csv", bytes(StandardCharsets.UTF_8, "id,prompt\nx,hi\n")));
    assertTrue(e.getMessage().contains("no 'audio' column"), e.getMessage());
    Path f = dir.resolve("m2.csv");
    e = assertThrows(UnusableManifestException.class, () -> ManifestReader.checkStart(f.toString(), Files.newInputStream(f)));
    assertTrue(e.getMessage().contains("no 'audio' column"), e.getMessage());
  }

  /** The streaming reader cuts at newline bytes: UTF-16 and UTF-32 are refused, naming the encoding and the fix. */
  @Test
  void utf16AndUtf32AreRefusedNamingTheEncodingAndTheFix() {
    UnusableManifestException e = assertThrows(UnusableManifestException.class, () -> read("m.csv",
        bytes(StandardCharsets.UTF_16LE, "id\taudio\r\na\ta.wav\r\n", (byte) 0xFF, (byte) 0xFE)));
    assertTrue(e.getMessage().contains("UTF-16LE (byte-order mark)") && e.getMessage().contains("CSV UTF-8"), e.getMessage());
    e = assertThrows(UnusableManifestException.class, () -> read("n.jsonl",
        bytes(StandardCharsets.UTF_16BE, "{\"id\":\"a\",\"audio\":\"a.wav\"}\n")));
    assertTrue(e.getMessage().contains("UTF-16BE (no byte-order mark)"), e.getMessage());
    e = assertThrows(UnusableManifestException.class, () -> read("m.jsonl",
        bytes(Charset.forName("UTF-32LE"), "{\"id\":\"a\",\"audio\":\"a.wav\"}\n", (byte) 0xFF, (byte) 0xFE, (byte) 0, (byte) 0)));
    assertTrue(e.getMessage().contains("UTF-32LE") && e.getMessage().contains("CSV UTF-8"), e.getMessage());
  }

  /** One line pasted from a Latin-1 file into a UTF-8 manifest: that line fails with its number, the rest run. */
  @Test
  void anInvalidUtf8LineFailsAloneWhenRead() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(("{\"id\":\"a\",\"audio\":\"a.wav\",\"prompt\":\"" + PROMPT_ZH + "\"}\n").getBytes(StandardCharsets.UTF_8));
    out.writeBytes("{\"id\":\"b\",\"audio\":\"b.wav\",\"prompt\":\"caf".getBytes(StandardCharsets.UTF_8));
    out.write(0xE9);
    out.writeBytes("\"}\n{\"id\":\"c\",\"audio\":\"c.wav\"}\n".getBytes(StandardCharsets.UTF_8));
    Manifest m = read("m.jsonl", out.toByteArray());
    assertEquals(List.of("a", "c"), m.items().stream().map(ManifestItem::id).toList());
    assertEquals(1, m.problems().size());
    ManifestProblem p = m.problems().get(0);
    assertEquals(2, p.line());
    assertTrue(p.message().startsWith("manifest line 2: not valid UTF-8 (byte 0xE9 at byte 40 of the line)"), p.message());
    assertTrue(p.message().contains("CSV UTF-8"), p.message());

    // An ASCII CSV with one Windows-1252 line: not GBK either (0xE9 then ','), so the same per-line problem.
    byte[] csv = bytes(Charset.forName("windows-1252"), "id,audio,prompt\nx,x.wav,hi\ny,y.wav,café,\nz,z.wav,ok\n");
    Manifest c = read("m.csv", csv);
    assertEquals(List.of("x", "z"), c.items().stream().map(ManifestItem::id).toList());
    assertEquals(3, c.problems().get(0).line());
    assertTrue(c.problems().get(0).message().contains("not valid UTF-8"), c.problems().get(0).message());
  }
}
