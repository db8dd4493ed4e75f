package io.glmvoicebatch.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The room check's accounting, with the file store's usable space given as a number (the real store is
 * exercised on a 3 MB tmpfs by cli/DiskFullTest).
 */
class DiskRoomTest {
  @Test
  void aReplyThatDoesNotFitBesideThoseInFlightWaitsForThemToBeWrittenThenStopsIfStillNoRoom() throws Exception {
    AtomicLong usable = new AtomicLong(1_000);
    DiskRoom room = new DiskRoom("/out", usable::get);
    assertNull(room.tryReserve(600));
    CompletableFuture<String> second = BudgetTest.waitingOrAnswered(() -> room.tryReserve(600));
    assertFalse(second.isDone(), "decided while the first reply was still in flight");
    usable.set(700); // the first reply took 300 bytes of its 600
    room.release(600);
    assertNull(second.get(1, TimeUnit.MINUTES), "600 fits in the 700 left once the first was written");
    usable.set(400);
    room.release(600);
    String why = room.tryReserve(600);
    assertNotNull(why, "nothing in flight and 400 < 600: sending stops");
    assertTrue(why.startsWith("disk full: --outputDir=/out has 0.00 MB (400 bytes) free"), why);
    usable.set(1_000_000);
    assertEquals(why, room.tryReserve(1), "once stopped, sending stays stopped");
  }

  @Test
  void aReplyThatCouldNotBeWrittenStopsSending() throws Exception {
    DiskRoom room = new DiskRoom("/out", () -> Long.MAX_VALUE);
    room.full("disk full: a paid reply could not be written");
    assertEquals("disk full: a paid reply could not be written", room.tryReserve(1));
  }

  @Test
  void theWorstCaseIsMaxTokensOfSpeechAtTheReplyRateCappedByTheReplyBody() {
    ReplySize size = new ReplySize(12.5, 44_100, 134_217_728L, 65_536, false);
    // 40 tokens = 3.2 s = 141,120 frames of s16 mono: 282,240 bytes + the header, 640 bytes of text, the margin.
    assertEquals(44 + 282_240 + 640 + 65_536, size.worstCaseBytes(40, 1_000));
    assertEquals(44 + 282_240 + 640 + 65_536 + 1_000, size.keepingSentAudio(true).worstCaseBytes(40, 1_000));
    ReplySize small = new ReplySize(12.5, 44_100, 4_000, 0, false);
    assertEquals(44 + 3_000 + 640, small.worstCaseBytes(40, 0), "never more than a --maxReplyBytes body holds");
  }
}
