package io.glmvoicebatch.cli;

import io.glmvoicebatch.manifest.Manifest;
import io.glmvoicebatch.manifest.ManifestReader;
import io.glmvoicebatch.pipeline.VoiceBatchOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** The batch's items: a manifest file, or every WAV of a folder with one prompt. */
final class ManifestSource {
  private ManifestSource() {}

  static Manifest load(VoiceBatchOptions o) throws UsageException {
    if (o.getManifest() != null && o.getAudioDir() != null) {
      throw new UsageException("give either --manifest or --audioDir, not both");
    }
    try {
      if (o.getAudioDir() != null) {
        Path dir = Path.of(o.getAudioDir());
        if (!Files.isDirectory(dir)) {
          throw new UsageException("--audioDir=" + dir + " is not a folder");
        }
        return ManifestReader.fromFolder(dir, o.getPrompt());
      }
      if (o.getPrompt() != null) {
        throw new UsageException("--prompt goes with --audioDir; a manifest carries a prompt per item");
      }
      return ManifestReader.read(OptionsParser.required(o.getManifest(), "manifest"));
    } catch (NoSuchFileException e) {
      throw new UsageException("--manifest=" + o.getManifest() + ": file not found");
    } catch (IOException e) {
      throw new UsageException("cannot read the manifest: " + e.getMessage());
    }
  }
}
