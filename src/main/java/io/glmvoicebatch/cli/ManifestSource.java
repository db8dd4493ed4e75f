package io.glmvoicebatch.cli;

import io.glmvoicebatch.manifest.Manifest;
import io.glmvoicebatch.manifest.ManifestReader;
import io.glmvoicebatch.manifest.RemoteFiles;
import io.glmvoicebatch.manifest.UnusableManifestException;
import io.glmvoicebatch.pipeline.ManifestInput;
import io.glmvoicebatch.pipeline.VoiceBatchOptions;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The batch's items: a manifest file (read by the pipeline itself; here only checked to exist, so the
 * launcher holds nothing of its size), or every WAV of a folder with one prompt.
 */
final class ManifestSource {
  private ManifestSource() {}

  static ManifestInput load(VoiceBatchOptions o) throws UsageException {
    if (o.getManifest() != null && o.getAudioDir() != null) {
      throw new UsageException("give either --manifest or --audioDir, not both");
    }
    try {
      if (o.getAudioDir() != null) {
        Path dir = Path.of(o.getAudioDir());
        if (!Files.isDirectory(dir)) {
          throw new UsageException("--audioDir=" + dir + " is not a folder");
        }
        Manifest wavs;
        try {
          wavs = ManifestReader.fromFolder(dir, o.getPrompt());
        } catch (IOException e) {
          throw new UsageException("--audioDir=" + dir + ": cannot list the folder: " + e.getMessage());
        }
        if (wavs.size() == 0) {
          throw new UsageException("--audioDir=" + dir + " holds no .wav files: nothing to send");
        }
        return ManifestInput.of(wavs);
      }
      if (o.getPrompt() != null) {
        throw new UsageException("--prompt goes with --audioDir; a manifest carries a prompt per item");
      }
      String location = OptionsParser.required(o.getManifest(), "manifest");
      checkReadable(location);
      ManifestInput input = ManifestInput.file(location);
      input.checkStart();
      return input;
    } catch (UnusableManifestException e) {
      throw new UsageException(e.getMessage());
    } catch (NoSuchFileException | FileNotFoundException e) {
      throw new UsageException("--manifest=" + o.getManifest() + ": file not found");
    } catch (IOException e) {
      throw new UsageException("cannot read the manifest: " + e.getMessage());
    }
  }

  private static void checkReadable(String location) throws IOException {
    if (RemoteFiles.isUri(location)) {
      RemoteFiles.match(location);
      return;
    }
    Path file = Path.of(location);
    if (!Files.exists(file)) {
      throw new NoSuchFileException(location);
    }
    if (Files.isDirectory(file)) {
      throw new IOException(location + ": is a directory, not a file");
    }
    if (!Files.isReadable(file)) {
      throw new IOException(location + ": permission denied");
    }
  }
}
