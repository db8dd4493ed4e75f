package io.glmvoicebatch.ledger;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * Whole-object reads and writes on a Beam filesystem, for an output folder that is not local: the few
 * operations {@link OutputFolder} and {@link LedgerParts} need. An object written here appears whole
 * when its writer closes, or not at all.
 */
final class BeamObjects {
  private BeamObjects() {}

  /** What {@code spec} (a name or a glob) matches; empty when nothing does. */
  static List<MatchResult.Metadata> match(String spec) throws IOException {
    MatchResult result = FileSystems.match(List.of(spec)).get(0);
    if (result.status() == MatchResult.Status.NOT_FOUND) {
      return new ArrayList<>();
    }
    return new ArrayList<>(result.metadata());
  }

  static boolean exists(String uri) throws IOException {
    return !match(uri).isEmpty();
  }

  static byte[] read(String uri) throws IOException {
    try (InputStream in = Channels.newInputStream(FileSystems.open(FileSystems.matchNewResource(uri, false)))) {
      return in.readAllBytes();
    }
  }

  /** Writes {@code parts} one after another as the object {@code uri}, replacing any older one. */
  static void write(String uri, List<byte[]> parts, String mimeType) throws IOException {
    try (WritableByteChannel channel = FileSystems.create(FileSystems.matchNewResource(uri, false), mimeType)) {
      for (byte[] part : parts) {
        ByteBuffer buf = ByteBuffer.wrap(part);
        while (buf.hasRemaining()) {
          channel.write(buf);
        }
      }
    }
  }
}
