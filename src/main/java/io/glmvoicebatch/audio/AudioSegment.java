package io.glmvoicebatch.audio;

import java.io.Serializable;

/**
 * One piece of a recording too long for one request.
 *
 * @param index 0-based position in the recording
 * @param count how many segments the recording was split into
 * @param startSeconds where the segment starts in the prepared (trimmed) audio
 * @param audio the segment, a complete 16 kHz mono WAV of its own
 */
public record AudioSegment(int index, int count, double startSeconds, PreparedAudio audio) implements Serializable {}
