package io.glmvoicebatch.cli;

import java.util.Locale;

/**
 * The shapes {@code --datasetFormat} writes, each with the file name its loader looks for: Hugging Face
 * {@code datasets}' audiofolder reads only a {@code metadata.jsonl} beside the audio; NeMo takes any
 * manifest path, conventionally {@code manifest.json}.
 */
enum DatasetFormat {
  /** {@code file_name} (reply audio) and {@code input_file_name} (audio as sent): audiofolder makes both Audio. */
  AUDIOFOLDER("metadata.jsonl"),
  /** {@code audio_filepath}, {@code duration}, {@code text} of the reply, plus the request's columns. */
  NEMO("manifest.json"),
  /** The generic form: {@code reply_audio} and {@code input_audio} as relative paths. */
  JSONL("dataset.jsonl");

  final String defaultFileName;

  DatasetFormat(String defaultFileName) {
    this.defaultFileName = defaultFileName;
  }

  /** {@code --datasetFormat} as given, or (null) the one {@code manifestName} implies. */
  static DatasetFormat of(String option, String manifestName) throws UsageException {
    if (option == null || option.isBlank()) {
      return manifestName != null && manifestName.equals(AUDIOFOLDER.defaultFileName) ? AUDIOFOLDER : JSONL;
    }
    try {
      return valueOf(option.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new UsageException("--datasetFormat=" + option + ": not a dataset format; use audiofolder, nemo or jsonl");
    }
  }

  String optionValue() {
    return name().toLowerCase(Locale.ROOT);
  }
}
