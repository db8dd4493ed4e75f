package io.glmvoicebatch.pipeline;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Where the items come from and how many travel together: they configure {@link ReadManifest} (the launcher
 * builds the in-memory manifest of {@code --audioDir}).
 * Part of {@link VoiceBatchOptions}; each description's [tag] is its group in {@code --help}.
 */
public interface ManifestOptions extends PipelineOptions {
  @Description("[manifest] Manifest of items: JSON Lines (one object per line) or CSV with a header row (.csv). "
      + "Fields: id, audio, prompt, system, max_tokens, temperature, top_p.")
  String getManifest();

  void setManifest(String value);

  @Description("[manifest] Instead of --manifest: every .wav file in this folder becomes an item (id = file name "
      + "without extension), sent with --prompt.")
  String getAudioDir();

  void setAudioDir(String value);

  @Description("[manifest] Prompt text sent with every item built from --audioDir.")
  String getPrompt();

  void setPrompt(String value);

  @Description("[manifest] Items released together into the pipeline; the call stage keeps up to a bundle's "
      + "requests in flight and waits for its slowest, so bundles several times the cap keep every slot busy, "
      + "while small ones start sending sooner. 0: four times the in-flight cap (at least 16).")
  @Default.Integer(0)
  Integer getItemsPerBundle();

  void setItemsPerBundle(Integer value);
}
