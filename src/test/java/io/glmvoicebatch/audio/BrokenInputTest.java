package io.glmvoicebatch.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.glmvoicebatch.audio.WavBuilder.Encoding;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every refusal carries a specific, path-free message. */
class BrokenInputTest {
  private static final AudioPreparer PREPARER = new AudioPreparer(NormalizerSettings.defaults());

  private static String refusal(byte[] bytes) {
    AudioFormatException e = assertThrows(AudioFormatException.class, () -> PREPARER.prepare(bytes));
    AudioFormatException e2 = assertThrows(AudioFormatException.class, () -> WavFile.decode(bytes));
    assertEquals(e.getMessage(), e2.getMessage());
    return e.getMessage();
  }

  private static WavBuilder tone() {
    return WavBuilder.of(Encoding.S16, 16000, Signals.sine(440, 0.5, 16000, 0.5));
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void emptyDataChunk() {
    assertEquals("empty data chunk", refusal(tone().rawData(new byte[0]).build()));
    // Size 0 followed by another chunk is genuinely empty, not "read to end".
    assertEquals("empty data chunk",
        refusal(tone().rawData(new byte[0]).chunkAfterData("LIST", new byte[12]).build()));
  }

  @Test
  void lessThanOneFrame() {
    byte[] wav = WavBuilder.of(Encoding.S24, 16000, new float[1], new float[1]).rawData(new byte[5]).build();
    assertEquals("data chunk holds 5 bytes, less than one 6-byte frame", refusal(wav));
  }

  @Test
  void textAndHtml() {
    assertEquals("text, not audio", refusal(ascii("this is not a wav file, just some words\n".repeat(3))));
    assertEquals("HTML text, not audio",
        refusal(ascii("<!DOCTYPE html><html><head><title>404</title></head><body>Not found</body></html>")));
    assertEquals("JSON text, not audio", refusal(ascii("{\"error\": \"quota exceeded\", \"code\": 429}")));
  }

  @Test
  void shortFiles() {
    byte[] junk = new byte[25];
    junk[0] = 1;
    assertEquals("file is 25 bytes: not a RIFF/WAVE file", refusal(junk));
    assertEquals("file is empty (0 bytes)", refusal(new byte[0]));
    assertEquals("truncated header: file is 10 bytes", refusal(ascii("RIFF\u0000\u0000\u0000\u0000WA")));
  }

  @Test
  void mp3InAWavFile() {
    byte[] id3 = new byte[200];
    System.arraycopy(ascii("ID3"), 0, id3, 0, 3);
    id3[3] = 4;
    assertEquals("MP3 data in a .wav file (ID3 tag)", refusal(id3));
    byte[] frame = new byte[417];
    frame[0] = (byte) 0xFF;
    frame[1] = (byte) 0xFB; // MPEG-1 layer III
    frame[2] = (byte) 0x90;
    assertEquals("MP3 data in a .wav file", refusal(frame));
    assertEquals("MP3 data in a .wav file (format 0x0055)", refusal(tone().formatTag(0x55).build()));
  }

  @Test
  void otherContainers() {
    byte[] ogg = new byte[100];
    System.arraycopy(ascii("OggS"), 0, ogg, 0, 4);
    assertEquals("Ogg data in a .wav file", refusal(ogg));
    byte[] flac = new byte[100];
    System.arraycopy(ascii("fLaC"), 0, flac, 0, 4);
    assertEquals("FLAC data in a .wav file", refusal(flac));
    byte[] avi = tone().build();
    System.arraycopy(ascii("AVI "), 0, avi, 8, 4);
    assertEquals("RIFF file of type 'AVI ', not WAVE", refusal(avi));
    byte[] rifx = tone().build();
    System.arraycopy(ascii("RIFX"), 0, rifx, 0, 4);
    assertEquals("big-endian RIFX WAVE is not supported", refusal(rifx));
    byte[] binary = new byte[1000];
    binary[0] = 0x7F;
    binary[1] = 'E';
    binary[2] = 'L';
    binary[3] = 'F';
    assertEquals("not a RIFF/WAVE file (starts with 7F 45 4C 46)", refusal(binary));
  }

  @Test
  void unsupportedCodecsByNameAndTag() {
    assertEquals("MS ADPCM (format 0x0002) is not supported", refusal(tone().formatTag(0x0002).build()));
    assertEquals("IMA ADPCM (format 0x0011) is not supported", refusal(tone().formatTag(0x0011).build()));
    assertEquals("GSM 6.10 (format 0x0031) is not supported", refusal(tone().formatTag(0x0031).build()));
    assertEquals("format 0x1234 is not supported", refusal(tone().formatTag(0x1234).build()));
    assertEquals("IEEE float with 16 bits per sample is not supported",
        refusal(tone().formatTag(3).build()));
  }

  @Test
  void impossibleFmtValues() {
    assertEquals("fmt chunk declares 0 channels", refusal(tone().channelsField(0).build()));
    assertEquals("fmt chunk declares sample rate 0", refusal(tone().rateField(0).build()));
    assertEquals("sample rate 4000000 Hz is out of range (1000..768000)",
        refusal(tone().rateField(4_000_000).build()));
    assertEquals("fmt chunk is 14 bytes (need at least 16)", refusal(tone().fmtSize(14).build()));
  }

  @Test
  void missingOrTruncatedChunks() {
    byte[] noData = ascii("RIFF\u001c\u0000\u0000\u0000WAVE");
    byte[] fmt = java.util.Arrays.copyOfRange(tone().build(), 12, 36);
    byte[] wav = new byte[noData.length + fmt.length];
    System.arraycopy(noData, 0, wav, 0, noData.length);
    System.arraycopy(fmt, 0, wav, noData.length, fmt.length);
    assertEquals("no data chunk", refusal(wav));
    assertEquals("truncated header: file ends before the fmt chunk",
        refusal(java.util.Arrays.copyOf(tone().build(), 16)));
    assertEquals("truncated header: fmt chunk cut off after 5 of 16 bytes",
        refusal(java.util.Arrays.copyOf(tone().build(), 25)));
    assertEquals("truncated header: fmt chunk cut off after 8 of 16 bytes",
        refusal(java.util.Arrays.copyOf(tone().build(), 28)));
    assertEquals("no fmt chunk", refusal(WavBuilder.chunk("data", new byte[8], true).length > 0
        ? concat(ascii("RIFF\u0014\u0000\u0000\u0000WAVE"), WavBuilder.chunk("data", new byte[8], true))
        : null));
  }

  @Test
  void unknownExtensibleSubformat() {
    byte[] wav = tone().extensible(16).build();
    wav[46] = 0x12; // first byte of the GUID's constant tail
    assertEquals("WAVE_FORMAT_EXTENSIBLE sub-format {00120001-0000-0010-8000-00AA00389B71} is not supported",
        refusal(wav));
  }

  @Test
  void fileProblemsAreReportedWithoutThePath(@TempDir Path dir) throws Exception {
    AudioFormatException missing =
        assertThrows(AudioFormatException.class, () -> PREPARER.prepare(dir.resolve("nope.wav")));
    assertEquals("file not found", missing.getMessage());
    AudioFormatException directory = assertThrows(AudioFormatException.class, () -> PREPARER.prepare(dir));
    assertEquals("is a directory, not a file", directory.getMessage());

    Path locked = dir.resolve("locked.wav");
    Files.write(locked, tone().build());
    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
    assumeTrue(!Files.isReadable(locked), "running as root: permissions are not enforced");
    AudioFormatException denied = assertThrows(AudioFormatException.class, () -> PREPARER.prepare(locked));
    assertEquals("permission denied", denied.getMessage());
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
