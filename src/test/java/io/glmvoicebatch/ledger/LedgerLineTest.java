package io.glmvoicebatch.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The typed record and the flat line on disk: every ledger written so far reads, and a line read and written
 * again is byte for byte the line (same keys, same order, nulls written), whatever its status.
 */
class LedgerLineTest {
  /** A line with every key set, in the order the ledger writes them. */
  private static final String FULL = "{\"id\":\"talk\",\"segment\":1,\"segments\":3,\"segment_start_seconds\":29.5,"
      + "\"status\":\"ok\",\"reason\":\"disk full\",\"manifest_line\":7,\"request_id\":\"gvb1-r2\","
      + "\"request_ids\":[\"gvb1-r1\",\"gvb1-r2\"],\"response_id\":\"2026120205\",\"prompt_tokens\":45,"
      + "\"completion_tokens\":58,\"total_tokens\":103,\"cost_rmb\":\"0.00824\",\"price_per_million_tokens\":\"80\","
      + "\"currency\":\"RMB\",\"error\":{\"code\":\"1302\",\"http_status\":429,\"message\":\"item 'talk': busy\"},"
      + "\"attempts\":2,\"input_audio\":\"clips/talk.wav\",\"input_sha256\":\"733777e2\",\"fingerprint\":\"f348b947\","
      + "\"input_format\":{\"sample_rate\":32000,\"channels\":2,\"encoding\":\"pcm_s16le\",\"seconds\":90.5},"
      + "\"input_seconds\":90.5,\"seconds_sent\":29.5,\"gain_db\":7.068912229796155,\"warnings\":[\"clipped\"],"
      + "\"output_audio\":\"audio/talk#1.wav\",\"output_text\":\"text/talk#1.txt\",\"reply_seconds\":2.56,"
      + "\"reply_wire_form\":\"raw_pcm\",\"finish_reason\":\"stop\",\"started_at\":\"2026-12-01T21:09:11.345754304Z\","
      + "\"finished_at\":\"2026-12-01T21:09:12.426277201Z\",\"latency_ms\":843,\"worst_case_tokens\":1069,"
      + "\"worst_case_cost\":\"0.08552\",\"simulated\":true,\"prompt\":\"Kindly reply \\\"now\\\", 请\","
      + "\"system\":\"You are a tutor.\",\"model\":\"glm-4-voice\",\"max_tokens\":1024,\"temperature\":0.7,"
      + "\"top_p\":0.9,\"sent_audio\":\"normalized/talk#1.wav\",\"fingerprint_version\":1}";

  private static LedgerRecord read(String line) {
    LedgerView view = LedgerView.of(List.of(line));
    assertEquals(List.of(), view.unreadableLines());
    return view.lines().get(0);
  }

  @Test
  void aFullLineOfEveryStatusIsWrittenBackByteForByte() {
    for (String status : new String[] {"ok", "failed", "skipped", "sending", "uncertain", "estimate"}) {
      String line = FULL.replace("\"status\":\"ok\"", "\"status\":\"" + status + "\"");
      LedgerRecord r = read(line);
      assertEquals(LedgerStatus.of(status), r.status());
      assertEquals(line, r.jsonLine(), status);
    }
    LedgerRecord r = read(FULL);
    assertEquals(new SegmentPlace(1, 3, 29.5), r.place());
    assertEquals(List.of("gvb1-r1", "gvb1-r2"), r.call().requestIds());
    assertEquals(103L, r.usage().totalTokens());
    assertEquals("0.00824", r.usage().costRmb());
    assertEquals("raw_pcm", r.reply().replyWireForm());
    assertEquals(1024, r.params().maxTokens());
    assertEquals("normalized/talk#1.wav", r.input().sentAudio());
    assertEquals("1302", r.error().code());
  }

  @Test
  void aRecordBuiltInPartsIsWrittenAsTheSameFlatLine() {
    LedgerRecord read = read(FULL);
    LedgerRecord built = LedgerRecord.builder().id("talk").status(LedgerStatus.OK).reason("disk full").manifestLine(7)
        .place(read.place()).input(read.input()).params(read.params()).call(read.call()).usage(read.usage())
        .reply(read.reply()).error(read.error()).build();
    assertEquals(FULL, built.jsonLine());
  }

  @Test
  void theCommittedVersionOneLedgerReadsAndGainsOnlyItsFingerprintVersion() throws Exception {
    List<String> lines = Files.readAllLines(Path.of("src/test/resources/resume-v1/ledger.jsonl"), StandardCharsets.UTF_8);
    assertEquals(6, lines.size());
    for (String line : lines) {
      LedgerRecord r = read(line);
      assertEquals(1, r.input().fingerprintVersion(), "a fingerprint without a version is version 1");
      assertEquals(line.substring(0, line.length() - 1) + ",\"fingerprint_version\":1}", r.jsonLine());
    }
  }

  @Test
  void aLineOfTheFirstFormatReadsWithTheLaterKeysNull() {
    String first = "{\"id\":\"c\",\"segment\":null,\"status\":\"failed\",\"reason\":null,\"manifest_line\":3,"
        + "\"request_id\":\"gvb-c\",\"error\":{\"code\":\"1301\",\"http_status\":400,\"message\":\"unsafe\"},"
        + "\"attempts\":1,\"input_audio\":\"clips/c.wav\",\"fingerprint\":null,\"simulated\":false}";
    LedgerRecord r = read(first);
    assertEquals(LedgerStatus.FAILED, r.status());
    assertEquals(SegmentPlace.WHOLE, r.place());
    assertNull(r.input().fingerprintVersion(), "no fingerprint, no version");
    assertNull(r.params().prompt());
    assertNull(r.usage().worstCaseTokens());
    assertEquals(read(r.jsonLine()), r);
    assertTrue(r.jsonLine().contains("\"sent_audio\":null,\"fingerprint_version\":null}"), r.jsonLine());
  }

  @Test
  void aStatusFromANewerVersionReadsAsUnknownAndIsNeverWrittenBack() {
    LedgerRecord r = read(FULL.replace("\"status\":\"ok\"", "\"status\":\"archived\""));
    assertEquals(LedgerStatus.UNKNOWN, r.status());
    assertEquals(103L, r.usage().totalTokens(), "the rest of the line still reads");
    IllegalStateException e = assertThrows(IllegalStateException.class, r::jsonLine);
    assertTrue(e.getMessage().contains("talk"), e.getMessage());
  }

  @Test
  void requestParametersOutsideTheirBoundsReadAsRecorded() {
    // A hand-edited or older line: unreadable would make resume send (and bill) the item again.
    String edited = FULL.replace("\"max_tokens\":1024", "\"max_tokens\":99999");
    LedgerRecord r = read(edited);
    assertEquals(99999, r.params().maxTokens());
    assertEquals(edited, r.jsonLine());
  }
}
