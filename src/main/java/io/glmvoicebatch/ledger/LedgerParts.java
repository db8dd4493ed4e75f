package io.glmvoicebatch.ledger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * A ledger on a filesystem without append (object stores): every durable write is a new immutable part
 * object {@code <ledger>.parts/<millis>-<writer>-<seq>.jsonl}, visible whole or not at all. A part holds the
 * lines that arrived together ({@link GroupCommit}), so the number of objects follows the number of
 * moments lines were written, not the number of lines. Names sort by time, so reading the parts in name
 * order replays the workers' lines in (clock) order.
 *
 * <p>{@link #compact} rewrites the ledger object with the parts' lines appended, then deletes the parts.
 * If it stops in between, the next reader recognizes the parts already folded in (their first line is in
 * the ledger) and skips them, so no line is ever counted twice.
 */
final class LedgerParts implements LedgerSink {
  /** Tells this writer's parts from other workers' written in the same millisecond. */
  private final String writerId = UUID.randomUUID().toString().substring(0, 8);

  private final LedgerLocation location;
  private final GroupCommit commit;
  private long lastMillis;
  private long sequence;

  private LedgerParts(LedgerLocation location) {
    this.location = location;
    this.commit = new GroupCommit("ledger " + location, this::writePart);
  }

  static LedgerParts open(LedgerLocation location) {
    return new LedgerParts(location);
  }

  @Override
  public void append(LedgerRecord record) {
    commit.append((LedgerJson.line(record) + "\n").getBytes(StandardCharsets.UTF_8));
  }

  // GroupCommit runs one write at a time, so the name counters need no lock of their own.
  private void writePart(List<byte[]> lines) throws IOException {
    lastMillis = Math.max(lastMillis, System.currentTimeMillis());
    String name = String.format("%s%013d-%s-%06d.jsonl", location.partsPrefix(), lastMillis, writerId, ++sequence);
    BeamObjects.write(name, lines, MimeTypes.TEXT);
  }

  /** Nothing to release: every part is closed when written. */
  @Override
  public void close() {
  }

  /** The ledger object's lines, then those of every part not yet folded into it, in name order. */
  static List<String> readLines(LedgerLocation location) throws IOException {
    return new Snapshot(location).lines;
  }

  static void compact(LedgerLocation location) throws IOException {
    Snapshot snapshot = new Snapshot(location);
    if (snapshot.parts.isEmpty()) {
      return;
    }
    List<byte[]> bytes = new ArrayList<>(snapshot.lines.size());
    for (String line : snapshot.lines) {
      bytes.add((line + "\n").getBytes(StandardCharsets.UTF_8));
    }
    BeamObjects.write(location.toString(), bytes, MimeTypes.TEXT);
    FileSystems.delete(snapshot.parts, StandardMoveOptions.IGNORE_MISSING_FILES);
  }

  static void delete(LedgerLocation location) throws IOException {
    // Only names are needed here: no part is read.
    List<ResourceId> all = new ArrayList<>();
    for (MatchResult.Metadata m : BeamObjects.match(location.partsPrefix() + "*")) {
      all.add(m.resourceId());
    }
    if (BeamObjects.exists(location.toString())) {
      all.add(FileSystems.matchNewResource(location.toString(), false));
    }
    FileSystems.delete(all, StandardMoveOptions.IGNORE_MISSING_FILES);
  }

  /** The ledger as one read sees it. */
  private static final class Snapshot {
    final List<String> lines = new ArrayList<>();
    final List<ResourceId> parts = new ArrayList<>();

    Snapshot(LedgerLocation location) throws IOException {
      List<String> ledger = BeamObjects.exists(location.toString()) ? lines(location.toString()) : List.of();
      List<MatchResult.Metadata> found = BeamObjects.match(location.partsPrefix() + "*");
      found.sort(Comparator.comparing(m -> m.resourceId().getFilename()));
      Map<String, List<String>> partLines = new HashMap<>();
      Set<String> firstLines = new HashSet<>();
      for (MatchResult.Metadata m : found) {
        List<String> part = lines(m.resourceId().toString());
        partLines.put(m.resourceId().toString(), part);
        if (!part.isEmpty()) {
          firstLines.add(part.get(0));
        }
        parts.add(m.resourceId());
      }
      Set<String> folded = new HashSet<>();
      for (String line : ledger) {
        if (firstLines.contains(line)) {
          folded.add(line);
        }
      }
      lines.addAll(ledger);
      for (MatchResult.Metadata m : found) {
        List<String> part = partLines.get(m.resourceId().toString());
        if (!part.isEmpty() && !folded.contains(part.get(0))) {
          lines.addAll(part);
        }
      }
    }
  }

  private static List<String> lines(String spec) throws IOException {
    List<String> out = new ArrayList<>();
    for (String line : new String(BeamObjects.read(spec), StandardCharsets.UTF_8).split("\n")) {
      if (!line.isBlank()) {
        out.add(line);
      }
    }
    return out;
  }
}
