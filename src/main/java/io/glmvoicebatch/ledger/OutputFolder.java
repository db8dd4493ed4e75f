package io.glmvoicebatch.ledger;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The layout of a batch's output folder: {@code ledger.jsonl}, {@code audio/<id>.wav},
 * {@code text/<id>.txt}. Reply files are written to a temporary name and renamed into place, so a crash
 * never leaves a half-written file under the final name.
 */
public final class OutputFolder implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String root;

  public OutputFolder(Path root) {
    this.root = root.toAbsolutePath().normalize().toString();
  }

  public Path root() {
    return Path.of(root);
  }

  public Path ledger() {
    return root().resolve("ledger.jsonl");
  }

  /** Where {@code --dryRun} writes its per-item estimates, apart from the real ledger. */
  public Path dryRunLedger() {
    return root().resolve("dry-run.jsonl");
  }

  public Path summary() {
    return root().resolve("summary.json");
  }

  public String audioName(String id) {
    return "audio/" + id + ".wav";
  }

  public String textName(String id) {
    return "text/" + id + ".txt";
  }

  /** Reply audio of one segment of a split recording; the stitched reply takes {@link #audioName}. */
  public String audioName(String id, Integer segment) {
    return segment == null ? audioName(id) : String.format("audio/%s.part%03d.wav", id, segment);
  }

  public String textName(String id, Integer segment) {
    return segment == null ? textName(id) : String.format("text/%s.part%03d.txt", id, segment);
  }

  /** The audio as sent (normalized 16 kHz mono), kept for dataset builds. */
  public String normalizedName(String id, Integer segment) {
    return segment == null ? "normalized/" + id + ".wav" : String.format("normalized/%s.part%03d.wav", id, segment);
  }

  public byte[] read(String relative) {
    try {
      return Files.readAllBytes(root().resolve(relative));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + root().resolve(relative) + ": " + e.getMessage(), e);
    }
  }

  /** Writes {@code bytes} to {@code relative} atomically; returns the relative name. */
  public String write(String relative, byte[] bytes) {
    Path target = root().resolve(relative);
    try {
      Files.createDirectories(target.getParent());
      Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp-" + Thread.currentThread().getId());
      Files.write(tmp, bytes);
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
    }
    return relative;
  }

  public String writeText(String relative, String text) {
    return write(relative, text.getBytes(StandardCharsets.UTF_8));
  }
}
