package io.glmvoicebatch.ledger;

import io.glmvoicebatch.manifest.RemoteFiles;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * The layout of a batch's output folder: {@code ledger.jsonl}, {@code audio/<id>.wav},
 * {@code text/<id>.txt}. Reply files are written to a temporary name and renamed into place, so a crash
 * never leaves a half-written file under the final name.
 *
 * <p>The folder is a local (or mounted) path, or any Beam filesystem URI ({@code gs://bucket/out}):
 * there files go through Beam's FileSystems, whose objects appear whole when their writer closes, and
 * the ledger is kept as part objects ({@link LedgerLocation}).
 */
public final class OutputFolder implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final String LEDGER = "ledger.jsonl";
  public static final String DRY_RUN_LEDGER = "dry-run.jsonl";
  public static final String SUMMARY = "summary.json";

  /** An absolute local path, or (when not {@link #local}) a filesystem URI without a trailing slash. */
  private final String root;
  private final boolean local;

  public OutputFolder(Path root) {
    this.root = root.toAbsolutePath().normalize().toString();
    this.local = true;
  }

  private OutputFolder(String uri) {
    this.root = uri.replaceAll("/+$", "");
    this.local = false;
  }

  /** {@code --outputDir} as given: a path, a {@code file:} URI, or a URI of any Beam filesystem. */
  public static OutputFolder at(String location) {
    if (!RemoteFiles.isUri(location)) {
      return new OutputFolder(Path.of(location));
    }
    if (location.regionMatches(true, 0, "file:", 0, 5)) {
      return new OutputFolder(Path.of(URI.create(location)));
    }
    return new OutputFolder(location);
  }

  /** True for a local or mounted folder; false for one reached through Beam FileSystems. */
  public boolean isLocal() {
    return local;
  }

  /** The local folder; only for {@link #isLocal()} folders. */
  public Path root() {
    if (!local) {
      throw new IllegalStateException(root + " is not a local folder");
    }
    return Path.of(root);
  }

  /** The folder as a user names it: a path or a URI. */
  public String location() {
    return root;
  }

  /** Where {@code relative} lives: a local path or a URI. */
  public String locate(String relative) {
    return local ? root().resolve(relative).toString() : root + "/" + relative;
  }

  /** The local ledger file; only for {@link #isLocal()} folders. */
  public Path ledger() {
    return root().resolve(LEDGER);
  }

  public LedgerLocation ledgerLocation() {
    return ledgerNamed(LEDGER);
  }

  /** Where {@code --dryRun} writes its per-item estimates, apart from the real ledger. */
  public LedgerLocation dryRunLedgerLocation() {
    return ledgerNamed(DRY_RUN_LEDGER);
  }

  private LedgerLocation ledgerNamed(String name) {
    return local ? LedgerLocation.file(root().resolve(name)) : LedgerLocation.object(locate(name));
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

  /**
   * {@code path} as a name inside this folder: ledgers of older versions may hold absolute paths of the
   * folder's files; those under the folder become relative again (wherever it has moved since, the part
   * after a component named like this folder is tried too). Anything else is returned as given.
   */
  public String inside(String path) {
    if (path == null) {
      return null;
    }
    String p = path.replace('\\', '/');
    String base = root.replace('\\', '/');
    if (p.startsWith(base + "/")) {
      return p.substring(base.length() + 1);
    }
    if (!p.startsWith("/") && !RemoteFiles.isUri(p) && !(p.length() > 2 && p.charAt(1) == ':')) {
      return p; // already relative
    }
    // The folder was moved: keep what follows its old name when that names one of its subfolders.
    String name = base.substring(base.lastIndexOf('/') + 1);
    int at = p.lastIndexOf("/" + name + "/");
    if (at >= 0) {
      String rest = p.substring(at + name.length() + 2);
      if (rest.startsWith("audio/") || rest.startsWith("text/") || rest.startsWith("normalized/")) {
        return rest;
      }
    }
    return path;
  }

  public byte[] read(String relative) {
    try {
      if (local) {
        return Files.readAllBytes(root().resolve(relative));
      }
      return BeamObjects.read(locate(relative));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + locate(relative) + ": " + e.getMessage(), e);
    }
  }

  public boolean exists(String relative) {
    if (local) {
      return Files.isRegularFile(root().resolve(relative));
    }
    try {
      return BeamObjects.exists(locate(relative));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot look up " + locate(relative) + ": " + e.getMessage(), e);
    }
  }

  /** Writes {@code bytes} to {@code relative} atomically; returns the relative name. */
  public String write(String relative, byte[] bytes) {
    if (!local) {
      // An object store's object appears whole when its writer closes, or not at all.
      try {
        BeamObjects.write(locate(relative), List.of(bytes), MimeTypes.BINARY);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + locate(relative) + ": " + e.getMessage(), e);
      }
      return relative;
    }
    writeAtomically(root().resolve(relative), bytes);
    return relative;
  }

  /**
   * Writes through a temporary sibling ({@link #TEMPORARY}) renamed into place; a failed write (a full disk)
   * removes its temporary file, so none is left behind.
   */
  private static void writeAtomically(Path target, byte[] bytes) {
    Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp-" + Thread.currentThread().getId());
    try {
      Files.createDirectories(target.getParent());
      Files.write(tmp, bytes);
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // the next run's start removes it (removeStaleTemporaries)
      }
      throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
    }
  }

  /**
   * The temporary files this program writes in the folder: {@code .<name>.tmp-<thread id>} (reply files,
   * summary) and {@code .<name>.tmp} (the report's data file). Nothing else matches, so no user file is touched.
   */
  static final java.util.regex.Pattern TEMPORARY = java.util.regex.Pattern.compile("\\..+\\.tmp(-\\d+)?");

  /**
   * Removes temporary files a killed run left (only this program's pattern, only in the folder and its
   * audio/, text/ and normalized/ subfolders); call it while holding the folder's lock. Returns how many.
   */
  public int removeStaleTemporaries() throws IOException {
    if (!local) {
      return 0; // objects appear whole or not at all: there is no temporary to leave
    }
    int removed = 0;
    for (String sub : new String[] {"", "audio", "text", "normalized"}) {
      Path dir = sub.isEmpty() ? root() : root().resolve(sub);
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (var list = Files.list(dir)) {
        for (Path f : (Iterable<Path>) list::iterator) {
          if (TEMPORARY.matcher(f.getFileName().toString()).matches() && Files.isRegularFile(f)) {
            Files.deleteIfExists(f);
            removed++;
          }
        }
      }
    }
    return removed;
  }

  /**
   * Where a paid reply goes when it cannot be written here (the disk filled up after the check): outside the
   * folder, under the system's temporary directory, one place per output folder, with the folder's own
   * layout below it. The next run moves it into place ({@link #restoreHeld}).
   */
  public Path heldRoot() {
    String hash;
    try {
      byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(root.getBytes(StandardCharsets.UTF_8));
      hash = java.util.HexFormat.of().formatHex(d, 0, 6);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    return Path.of(System.getProperty("java.io.tmpdir"), "glm-voice-batch-held", hash);
  }

  /** Writes {@code relative}'s bytes under {@link #heldRoot()}; returns the file. */
  public Path hold(String relative, byte[] bytes) {
    Path target = heldRoot().resolve(relative);
    writeAtomically(target, bytes);
    return target;
  }

  /**
   * Moves the replies an earlier run held outside the folder into place; stops at the first that cannot be
   * moved (still no room) and leaves it and the rest held. Returns how many are still held.
   */
  public int restoreHeld() throws IOException {
    Path held = heldRoot();
    if (!local || !Files.isDirectory(held)) {
      return 0;
    }
    List<Path> files;
    try (var walk = Files.walk(held)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    int left = files.size();
    for (Path f : files) {
      if (TEMPORARY.matcher(f.getFileName().toString()).matches()) {
        Files.deleteIfExists(f);
        left--;
        continue;
      }
      try {
        writeAtomically(root().resolve(held.relativize(f).toString()), Files.readAllBytes(f));
      } catch (UncheckedIOException e) {
        return left;
      }
      Files.delete(f);
      left--;
    }
    return left;
  }

  public String writeText(String relative, String text) {
    return write(relative, text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Makes sure a local folder can take the batch's files before anything is sent: creates it, and refuses
   * a path that is a file or a folder where no file can be created (read-only mount, no permission). Root
   * ignores permission bits, so a real file is created and removed rather than trusting {@code access()}.
   *
   * @throws IOException with a one-line reason
   */
  public void checkWritable() throws IOException {
    if (!local) {
      return; // an object store says no only when written to; its errors are reported then
    }
    Path dir = root().toAbsolutePath();
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.exists(p) && !Files.isDirectory(p)) {
        throw new IOException((p.equals(dir) ? "" : p + " ") + "is a file, not a folder");
      }
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new IOException("is not writable (" + reason(e) + ")");
    }
    Path probe = dir.resolve(".write-probe-" + ProcessHandle.current().pid());
    try {
      Files.deleteIfExists(probe);
      Files.write(probe, new byte[1]);
      Files.delete(probe);
    } catch (IOException e) {
      throw new IOException("is not writable (" + reason(e) + ")");
    }
  }

  private static String reason(IOException e) {
    String why = e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason()
        : e.getClass().getSimpleName();
    return e instanceof java.nio.file.AccessDeniedException ? "permission denied" : why;
  }

  /**
   * Ids that have a reply file (audio/&lt;id&gt;.wav or text/&lt;id&gt;.txt) in the folder; segment files
   * ({@code .partNNN}) and temporary files are left out. With {@code firstOnly}, stops at the first.
   */
  public java.util.SortedSet<String> replyIds(boolean firstOnly) throws IOException {
    java.util.SortedSet<String> ids = new java.util.TreeSet<>();
    for (String[] dirAndExt : new String[][] {{"audio", ".wav"}, {"text", ".txt"}}) {
      for (String name : fileNames(dirAndExt[0])) {
        if (name.endsWith(dirAndExt[1]) && !name.startsWith(".") && !name.matches(".*\\.part\\d{3}\\.(wav|txt)")) {
          ids.add(name.substring(0, name.length() - dirAndExt[1].length()));
          if (firstOnly) {
            return ids;
          }
        }
      }
    }
    return ids;
  }

  private List<String> fileNames(String dir) throws IOException {
    if (!local) {
      List<String> names = new java.util.ArrayList<>();
      for (var m : BeamObjects.match(locate(dir + "/*"))) {
        names.add(m.resourceId().getFilename());
      }
      return names;
    }
    Path d = root().resolve(dir);
    if (!Files.isDirectory(d)) {
      return List.of();
    }
    try (var list = Files.list(d)) {
      return list.filter(Files::isRegularFile).map(f -> f.getFileName().toString()).toList();
    }
  }
}
