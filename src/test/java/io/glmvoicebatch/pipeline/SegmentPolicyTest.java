package io.glmvoicebatch.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A segment fits the 10-minute limit, the 8K context and the request-size limit, whichever is smallest. */
class SegmentPolicyTest {
  @Test
  void theDefaultSizeLimitPassesTenMinutesOf16kHzAudio() {
    SegmentPolicy p = SegmentPolicy.defaults();
    assertEquals(SegmentPolicy.megabytes(32), p.maxRequestBytes());
    // Context: 8192 - 1024 - 10 - 64 = 7094 tokens = 567 s; size would allow 786 s.
    assertEquals(567, p.limitSeconds(1024, 10, 32000, 40));
    assertEquals(600, p.limitSeconds(100, 10, 32000, 40));
  }

  @Test
  void aLowerRequestSizeLimitShortensSegmentsIncludingTheTextsBytes() {
    SegmentPolicy p = new SegmentPolicy(true, 600, SegmentPolicy.megabytes(8));
    // (8 MiB - 4096 framing) * 3/4 of base64 / 32,000 B/s = 196.5 s.
    assertEquals(196, p.limitSeconds(1024, 10, 32000, 0));
    double withLongPrompt = p.limitSeconds(1024, 10, 32000, 1_000_000);
    assertEquals(149, withLongPrompt);
    // Original 48 kHz stereo 24-bit bytes (--normalize=false) are 9 times larger per second.
    assertTrue(p.limitSeconds(1024, 10, 288000, 0) < 22);
  }
}
