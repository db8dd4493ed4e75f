package io.glmvoicebatch.manifest;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * Manifests and audio named by URI ({@code gs://bucket/day/a.wav}, {@code s3://...}, {@code file:///...}) are
 * read through Beam's FileSystems, so any filesystem whose Beam module is on the classpath works; plain
 * paths stay on the local filesystem.
 */
public final class RemoteFiles {
  private static final Pattern URI_SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]+:/.*");

  private RemoteFiles() {}

  public static boolean isUri(String location) {
    return URI_SCHEME.matcher(location).matches();
  }

  /** The whole file; a missing one raises FileNotFoundException. */
  public static byte[] readAll(String uri) throws IOException {
    try (InputStream in = Channels.newInputStream(FileSystems.open(match(uri)))) {
      return in.readAllBytes();
    }
  }

  /** The same, refusing an object larger than {@code maxBytes} (as listed, and as read) before holding it. */
  public static byte[] readAll(String uri, long maxBytes) throws IOException {
    long limit = Math.min(maxBytes, Integer.MAX_VALUE - 8);
    ResourceId resource = match(uri);
    long size = FileSystems.matchSingleFileSpec(uri).sizeBytes();
    if (size > limit) {
      throw new IOException("is " + size + " bytes, over the input limit of " + limit + " bytes (--maxInputFileBytes)");
    }
    try (InputStream in = Channels.newInputStream(FileSystems.open(resource))) {
      byte[] bytes = in.readNBytes((int) limit + 1);
      if (bytes.length > limit) {
        throw new IOException("grew past the input limit of " + limit + " bytes while read");
      }
      return bytes;
    }
  }

  /** The one file {@code uri} names; a missing one raises FileNotFoundException. */
  public static ResourceId match(String uri) throws IOException {
    try {
      return FileSystems.matchSingleFileSpec(uri).resourceId();
    } catch (FileNotFoundException e) {
      throw e;
    } catch (IOException e) {
      if (String.valueOf(e.getMessage()).contains("No files matched")) {
        throw new FileNotFoundException(uri);
      }
      throw e;
    }
  }

  /** {@code relative} resolved against the folder holding {@code manifestUri}. */
  public static String resolveAgainstFolderOf(String manifestUri, String relative) {
    if (manifestUri.regionMatches(true, 0, "file:", 0, 5)) {
      // Beam's local filesystem takes file: URIs for matching but not for matchNewResource.
      return Path.of(URI.create(manifestUri)).getParent().resolve(relative).normalize().toUri().toString();
    }
    ResourceId manifest = FileSystems.matchNewResource(manifestUri, false);
    return manifest.getCurrentDirectory().resolve(relative, StandardResolveOptions.RESOLVE_FILE).toString();
  }
}
