package io.glmvoicebatch.audio;

import java.util.Map;

/** Names of the registered WAVE format tags we refuse, so refusals say what the file really is. */
final class WaveFormatTags {
  static final int PCM = 0x0001;
  static final int IEEE_FLOAT = 0x0003;
  static final int ALAW = 0x0006;
  static final int MULAW = 0x0007;
  static final int MPEG = 0x0050;
  static final int MPEG_LAYER3 = 0x0055;
  static final int EXTENSIBLE = 0xFFFE;

  private static final Map<Integer, String> NAMES =
      Map.ofEntries(
          Map.entry(0x0000, "unknown format"),
          Map.entry(0x0002, "MS ADPCM"),
          Map.entry(0x0010, "OKI ADPCM"),
          Map.entry(0x0011, "IMA ADPCM"),
          Map.entry(0x0012, "MediaSpace ADPCM"),
          Map.entry(0x0014, "G.723 ADPCM"),
          Map.entry(0x0016, "DigiFix"),
          Map.entry(0x0020, "Yamaha ADPCM"),
          Map.entry(0x0022, "DSP Group TrueSpeech"),
          Map.entry(0x0031, "GSM 6.10"),
          Map.entry(0x0040, "G.721 ADPCM"),
          Map.entry(0x0042, "MSN Audio / G.723.1"),
          Map.entry(0x0045, "G.726 ADPCM"),
          Map.entry(0x0064, "G.726 ADPCM"),
          Map.entry(0x0065, "G.722 ADPCM"),
          Map.entry(0x0069, "Voxware Byte Aligned"),
          Map.entry(0x0092, "Dolby AC-3 SPDIF"),
          Map.entry(0x00FF, "AAC"),
          Map.entry(0x0160, "Windows Media Audio v1"),
          Map.entry(0x0161, "Windows Media Audio v2"),
          Map.entry(0x0162, "Windows Media Audio Pro"),
          Map.entry(0x0163, "Windows Media Audio Lossless"),
          Map.entry(0x0200, "Creative ADPCM"),
          Map.entry(0x1610, "HE-AAC"),
          Map.entry(0x2000, "Dolby AC-3"),
          Map.entry(0x2001, "DTS"),
          Map.entry(0x4143, "AAC (Divio)"),
          Map.entry(0x566F, "Vorbis"),
          Map.entry(0x674F, "Vorbis"),
          Map.entry(0xF1AC, "FLAC"));

  private WaveFormatTags() {}

  /** "MS ADPCM (format 0x0002)" or "format 0x1234" for tags we do not know by name. */
  static String describe(int tag) {
    String hex = String.format("format 0x%04X", tag);
    String name = NAMES.get(tag);
    return name == null ? hex : name + " (" + hex + ")";
  }
}
