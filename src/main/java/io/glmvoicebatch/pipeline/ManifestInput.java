package io.glmvoicebatch.pipeline;

import io.glmvoicebatch.manifest.Manifest;
import io.glmvoicebatch.manifest.ManifestReader;
import io.glmvoicebatch.manifest.RemoteFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileSystems;

/**
 * Where the batch's items come from: a manifest file, read inside the pipeline (the launcher only checks it
 * exists), or a manifest already in memory (a folder listing).
 *
 * @param location the manifest's local path or Beam filesystem URI, or null
 * @param inMemory the items themselves, or null
 */
public record ManifestInput(String location, Manifest inMemory) {
  public static ManifestInput file(String location) {
    return new ManifestInput(location, null);
  }

  public static ManifestInput of(Manifest manifest) {
    return new ManifestInput(null, manifest);
  }

  public String source() {
    return location != null ? location : inMemory.source();
  }

  /** Streams the manifest once more, for the end-of-batch figures: nothing is kept but what the sink keeps. */
  public void stream(ManifestReader.Sink sink) throws IOException {
    if (inMemory != null) {
      inMemory.problems().forEach(sink::problem);
      inMemory.items().forEach(sink::item);
      return;
    }
    try (InputStream in = open()) {
      ManifestReader.stream(location, in, sink);
    }
  }

  /**
   * Refuses a manifest that is unusable as a whole (its encoding, its CSV header) from its first bytes, so
   * the launcher can say so before the pipeline runs. Nothing to check for items in memory.
   */
  public void checkStart() throws IOException {
    if (location != null) {
      try (InputStream in = open()) {
        ManifestReader.checkStart(location, in);
      }
    }
  }

  /** The manifest's lines as text bytes: a compressed one (.gz, .bz2, .zst, ...) decompressed, as ReadManifest does. */
  InputStream open() throws IOException {
    ReadableByteChannel raw = RemoteFiles.isUri(location)
        ? FileSystems.open(RemoteFiles.match(location))
        : Files.newByteChannel(Path.of(location));
    return Channels.newInputStream(Compression.detect(location).readDecompressed(raw));
  }
}
