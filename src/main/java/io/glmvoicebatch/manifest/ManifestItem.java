package io.glmvoicebatch.manifest;

import java.io.Serializable;
import java.util.Objects;

/**
 * One valid manifest entry: an audio file and what to ask about it.
 *
 * @param audio resolved audio location (absolute path or a Beam FileSystems URI)
 * @param params the prompt, system text and sampling settings of the line ({@link RequestParams#NONE} when none)
 * @param line 1-based line of the manifest this item came from (the CSV header is line 1)
 */
public record ManifestItem(String id, String audio, RequestParams params, int line) implements Serializable {

  public ManifestItem {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(audio, "audio");
    Objects.requireNonNull(params, "params");
  }

  /** An item that asks nothing beyond its audio. */
  public static ManifestItem of(String id, String audio, int line) {
    return new ManifestItem(id, audio, RequestParams.NONE, line);
  }

  public ManifestItem withParams(RequestParams params) {
    return new ManifestItem(id, audio, params, line);
  }

  @Override
  public String toString() {
    return "ManifestItem{id=" + id + ", audio=" + audio + ", line=" + line + "}";
  }
}
