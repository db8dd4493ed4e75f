package io.glmvoicebatch.manifest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Reads a JSONL or CSV manifest. Every line becomes either an item or a problem, so one bad line never
 * stops the batch. Audio paths are resolved against the manifest's folder unless absolute.
 */
public final class ManifestReader {
  static final Set<String> FIELDS =
      Set.of("id", "audio", "prompt", "system", "max_tokens", "temperature", "top_p");

  private static final ObjectMapper JSON = new ObjectMapper();

  private ManifestReader() {}

  /** Where a streaming read delivers each line's outcome, in manifest order. */
  public interface Sink {
    void item(ManifestItem item);

    void problem(ManifestProblem problem);

    /** A CSV manifest's header row was read (before any problem it has). */
    default void header(CsvDialect dialect) {}
  }

  /**
   * Reads a manifest named by a local path or by a URI of any Beam filesystem ({@code gs://...}); relative
   * audio paths resolve against the manifest's folder on the same filesystem.
   */
  public static Manifest read(String location) throws IOException {
    if (!RemoteFiles.isUri(location)) {
      return read(Path.of(location));
    }
    Collected out = new Collected();
    try (InputStream in = new java.io.ByteArrayInputStream(RemoteFiles.readAll(location))) {
      stream(location, in, out);
    }
    return out.manifest(location);
  }

  /** Reads {@code file}; CSV when its name ends in .csv, JSON Lines otherwise. */
  public static Manifest read(Path file) throws IOException {
    Collected out = new Collected();
    try (InputStream in = Files.newInputStream(file)) {
      stream(file.toString(), in, out);
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(file.toString(), null, "manifest not found");
    }
    return out.manifest(file.toString());
  }

  /**
   * Streams the manifest at {@code location} (a local path or a Beam filesystem URI) from {@code in}, one
   * line at a time, into {@code sink}: CSV when the name ends in .csv, JSON Lines otherwise. Memory does not
   * grow with the manifest beyond a compact table of ids (for duplicates).
   */
  public static void stream(String location, InputStream in, Sink sink) throws IOException {
    parse(location, new ManifestLines(in, location, null), 1, null, new Builder(audioResolver(location), sink));
  }

  /**
   * Checks what makes the manifest at {@code location} unusable as a whole, from its first bytes only (so the
   * launcher can refuse it before the pipeline runs): an encoding we do not stream (UTF-16, UTF-32), or a CSV
   * header with no usable column or without {@code id} and {@code audio}.
   */
  public static void checkStart(String location, InputStream in) throws IOException {
    ManifestLines lines = new ManifestLines(in, location, null);
    try {
      if (!isCsv(location)) {
        lines.hasNext(); // detects the encoding
        return;
      }
      for (int lineNo = 1; lines.hasNext(); lineNo++) {
        String text = lines.next();
        if (text == null) {
          throw new UnusableManifestException(location + ": the CSV header (line " + lineNo + ") is " + lines.problem());
        }
        if (!isBlankRow(text)) {
          CsvDialect.of(text, FIELDS, location);
          return;
        }
      }
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /**
   * Streams the manifest at {@code location} from {@code in} and cuts it into parts of about
   * {@code linesPerPart} items or bad lines each. Duplicate ids are judged here, across the whole file.
   */
  public static void cut(String location, InputStream in, int linesPerPart, Consumer<ManifestPart> parts)
      throws IOException {
    ManifestLines lines = new ManifestLines(in, location, null);
    Cutter cutter = new Cutter(lines, linesPerPart, parts);
    parse(location, lines, 1, null, new Builder(audioResolver(location), cutter));
    cutter.cut();
  }

  /**
   * The items and bad lines of one part of the manifest at {@code location}; {@code in} starts at the part's
   * first byte. Line numbers are the whole file's.
   */
  public static void readPart(String location, InputStream in, ManifestPart part, Sink sink) throws IOException {
    part.problems().forEach(sink::problem);
    java.util.Set<Integer> badLines = new java.util.HashSet<>();
    part.problems().forEach(p -> badLines.add(p.line()));
    Sink items = new Sink() {
      @Override
      public void item(ManifestItem item) {
        if (!badLines.contains(item.line())) {
          sink.item(item);
        }
      }

      @Override
      public void problem(ManifestProblem problem) {
        // Judged already, with the whole file in view (duplicates across parts).
      }
    };
    InputStream bounded = new BoundedInputStream(in, part.endByte() - part.startByte());
    parse(location, new ManifestLines(bounded, location, part.encoding()), part.firstLine(), part.csv(),
        new Builder(audioResolver(location), items));
  }

  private static void parse(String location, ManifestLines lines, int firstLine, CsvDialect csv, Builder out)
      throws IOException {
    try {
      if (isCsv(location)) {
        parseCsv(location, lines, firstLine, csv, out);
      } else {
        parseJsonLines(lines, firstLine, out);
      }
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** Cuts a streamed manifest into parts by byte range as its lines are judged. */
  private static final class Cutter implements Sink {
    private final ManifestLines lines;
    private final int size;
    private final Consumer<ManifestPart> parts;
    private long start;
    private int firstLine = 1;
    private int count;
    private CsvDialect header;
    private List<ManifestProblem> problems = new ArrayList<>();

    Cutter(ManifestLines lines, int size, Consumer<ManifestPart> parts) {
      this.lines = lines;
      this.size = size;
      this.parts = parts;
    }

    @Override
    public void header(CsvDialect dialect) {
      header = dialect;
      start = lines.position();
      firstLine = lines.count() + 1;
    }

    @Override
    public void item(ManifestItem item) {
      if (++count >= size) {
        cut();
      }
    }

    @Override
    public void problem(ManifestProblem problem) {
      problems.add(problem);
      if (++count >= size) {
        cut();
      }
    }

    void cut() {
      long end = lines.position();
      if (count > 0 || end > start) {
        parts.accept(new ManifestPart(start, end, firstLine, lines.encoding(), header, problems, count));
      }
      start = end;
      firstLine = lines.count() + 1;
      count = 0;
      problems = new ArrayList<>();
    }
  }

  /** At most {@code remaining} bytes of a stream. */
  private static final class BoundedInputStream extends java.io.FilterInputStream {
    private long remaining;

    BoundedInputStream(InputStream in, long length) {
      super(in);
      this.remaining = length;
    }

    @Override
    public int read() throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int b = super.read();
      if (b >= 0) {
        remaining--;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int n = super.read(b, off, (int) Math.min(len, remaining));
      if (n > 0) {
        remaining -= n;
      }
      return n;
    }
  }

  /** Relative audio paths resolve against the manifest's folder, on the manifest's filesystem. */
  private static UnaryOperator<String> audioResolver(String location) {
    if (RemoteFiles.isUri(location)) {
      return audio -> RemoteFiles.isUri(audio) || audio.startsWith("/") ? audio
          : RemoteFiles.resolveAgainstFolderOf(location, audio);
    }
    Path base = Path.of(location).toAbsolutePath().getParent();
    return audio -> {
      if (RemoteFiles.isUri(audio)) {
        return audio;
      }
      try {
        Path p = Path.of(audio);
        return (p.isAbsolute() ? p : base.resolve(p)).normalize().toString();
      } catch (InvalidPathException e) {
        return audio; // cannot be a path here: reading it fails that item with audio_unreadable
      }
    };
  }

  /** A sink that keeps everything: for manifests small enough to hold (tests, --audioDir). */
  private static final class Collected implements Sink {
    private final List<ManifestItem> items = new ArrayList<>();
    private final List<ManifestProblem> problems = new ArrayList<>();

    @Override
    public void item(ManifestItem item) {
      items.add(item);
    }

    @Override
    public void problem(ManifestProblem problem) {
      problems.add(problem);
    }

    Manifest manifest(String source) {
      return new Manifest(source, items, problems);
    }
  }

  /**
   * A manifest made from every {@code .wav} file directly in {@code folder} (sorted by name), each sent with
   * {@code prompt}; the id is the file name without its extension. Line numbers count files from 1.
   */
  public static Manifest fromFolder(Path folder, String prompt) throws IOException {
    List<Path> wavs;
    try (var files = Files.list(folder)) {
      wavs = files.filter(f -> f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".wav"))
          .filter(Files::isRegularFile)
          .sorted()
          .toList();
    }
    Collected collected = new Collected();
    Builder out = new Builder(audio -> audio, collected);
    int line = 0;
    for (Path wav : wavs) {
      String name = wav.getFileName().toString();
      Map<String, String> fields = new LinkedHashMap<>();
      fields.put("id", name.substring(0, name.length() - 4));
      fields.put("audio", wav.toAbsolutePath().toString());
      if (prompt != null) {
        fields.put("prompt", prompt);
      }
      out.entry(++line, fields);
    }
    return collected.manifest(folder.toString());
  }

  private static void parseJsonLines(ManifestLines lines, int firstLine, Builder out) {
    for (int lineNo = firstLine; lines.hasNext(); lineNo++) {
      String text = lines.next();
      if (text == null) {
        out.problem(lineNo, null, lines.problem());
        continue;
      }
      if (text.isBlank() || text.stripLeading().startsWith("#")) {
        continue;
      }
      JsonNode node;
      try (JsonParser p = JSON.createParser(text)) {
        node = JSON.readTree(p);
        String trailing = trailingText(p, text);
        if (trailing != null) {
          out.problem(lineNo, null, trailing);
          continue;
        }
      } catch (JsonProcessingException e) {
        out.problem(lineNo, null, "invalid JSON: " + e.getOriginalMessage());
        continue;
      } catch (IOException e) {
        out.problem(lineNo, null, "invalid JSON: " + e.getMessage());
        continue;
      }
      if (!(node instanceof ObjectNode)) {
        out.problem(lineNo, null, "expected a JSON object, found "
            + (node == null ? "nothing" : node.getNodeType().toString().toLowerCase(Locale.ROOT)));
        continue;
      }
      Map<String, String> fields = new LinkedHashMap<>();
      String typeProblem = null;
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode v = e.getValue();
        if (v.isNull()) {
          continue;
        }
        if (v.isContainerNode()) {
          typeProblem = "field '" + e.getKey() + "' must be a string or number, not " + v.getNodeType().toString().toLowerCase(Locale.ROOT);
          break;
        }
        fields.put(e.getKey(), v.asText());
      }
      if (typeProblem != null) {
        out.problem(lineNo, textOrNull(node.get("id")), typeProblem);
        continue;
      }
      out.entry(lineNo, fields);
    }
  }

  /** Null when nothing but blanks follows the JSON value on its line, else what is wrong. */
  private static String trailingText(JsonParser p, String text) {
    int end = (int) Math.max(0, Math.min(text.length(), p.currentLocation().getCharOffset()));
    String rest = text.substring(end).strip();
    if (rest.isEmpty()) {
      return null;
    }
    int column = text.indexOf(rest.charAt(0), end) + 1;
    return "unexpected text after the JSON object at column " + column + ": '"
        + (rest.length() > 40 ? rest.substring(0, 40) + "..." : rest) + "' (one JSON object per line)";
  }

  private static void parseCsv(String location, ManifestLines lines, int firstLine, CsvDialect known, Builder out)
      throws UnusableManifestException {
    CsvDialect dialect = known;
    int lineNo = firstLine;
    while (dialect == null && lines.hasNext()) {
      String text = lines.next();
      if (text == null) {
        throw new UnusableManifestException(location + ": the CSV header (line " + lineNo + ") is " + lines.problem());
      }
      if (!isBlankRow(text)) {
        dialect = CsvDialect.of(text, FIELDS, location);
        out.header(dialect);
        for (String h : dialect.columns()) {
          if (!h.isEmpty() && !FIELDS.contains(h)) {
            out.problem(lineNo, null, "unknown CSV column '" + h + "' (known: " + String.join(", ", sortedFields()) + ")");
          }
        }
      }
      lineNo++;
    }
    if (dialect == null) {
      return; // no header: an empty manifest
    }
    List<String> header = dialect.columns();
    CsvLineSplitter splitter = new CsvLineSplitter(lines, lineNo, dialect.delimiter());
    CsvLineSplitter.Row row;
    while ((row = splitter.next()) != null) {
      if (CsvLineSplitter.UNDECODABLE.equals(row.problem())) {
        out.problem(row.line(), null, lines.problem());
        continue;
      }
      if (row.problem() != null) {
        out.problem(row.line(), null, row.problem());
        continue;
      }
      List<String> cells = row.cells();
      // Blank rows, including Excel's ",,," rows below the data, are no items.
      if (cells.stream().allMatch(String::isBlank)) {
        continue;
      }
      if (cells.size() != header.size()) {
        out.problem(row.line(), null, "has " + cells.size() + " columns, the header has " + header.size());
        continue;
      }
      Map<String, String> fields = new LinkedHashMap<>();
      for (int c = 0; c < cells.size(); c++) {
        if (!cells.get(c).isEmpty() && FIELDS.contains(header.get(c))) {
          fields.put(header.get(c), cells.get(c));
        }
      }
      out.entry(row.line(), fields);
    }
  }

  static boolean isCsv(String location) {
    // A compressed manifest is named for its content plus the compression: lessons.csv.gz is CSV.
    return location.toLowerCase(Locale.ROOT).replaceFirst("\\.(gz|bz2|zst|deflate|zip|lzo|snappy)$", "")
        .endsWith(".csv");
  }

  /** A line of blanks and separators only (Excel's ",,," rows): no header, no item. */
  private static boolean isBlankRow(String line) {
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (!Character.isWhitespace(c) && c != ',' && c != ';' && c != '\uFEFF') {
        return false;
      }
    }
    return true;
  }

  private static List<String> sortedFields() {
    return FIELDS.stream().sorted().toList();
  }

  private static String textOrNull(JsonNode n) {
    return n == null || n.isNull() || n.isContainerNode() ? null : n.asText();
  }

  /** Turns lines into items and problems for a sink, and enforces the rules that span lines (unique ids). */
  private static final class Builder {
    private final UnaryOperator<String> resolve;
    private final Sink sink;
    private final IdLines firstLineOfId = new IdLines();

    Builder(UnaryOperator<String> resolve, Sink sink) {
      this.resolve = resolve;
      this.sink = sink;
    }

    void header(CsvDialect dialect) {
      sink.header(dialect);
    }

    void problem(int line, String id, String message) {
      // A problem keeps its own id when that id is usable, so the ledger names the item the user wrote;
      // the id is then taken, and a later line reusing it is a duplicate.
      String key = "line-" + line;
      if (id != null && ItemIdRule.problemWith(id) == null && firstLineOfId.get(id) == 0) {
        key = id;
        firstLineOfId.putIfAbsent(id, line);
      }
      sink.problem(new ManifestProblem(line, key, "manifest line " + line + ": " + message));
    }

    void entry(int line, Map<String, String> fields) {
      for (String key : fields.keySet()) {
        if (!FIELDS.contains(key)) {
          problem(line, fields.get("id"), "unknown field '" + key + "' (known: " + String.join(", ", sortedFields()) + ")");
          return;
        }
      }
      String id = fields.get("id");
      if (id == null) {
        problem(line, null, "missing required field 'id'");
        return;
      }
      String idProblem = ItemIdRule.problemWith(id);
      if (idProblem != null) {
        problem(line, null, idProblem);
        return;
      }
      int first = firstLineOfId.get(id);
      if (first != 0) {
        problem(line, null, "duplicate id '" + id + "' (first used on line " + first + ")");
        return;
      }
      String audio = fields.get("audio");
      if (audio == null || audio.isBlank()) {
        problem(line, id, "item '" + id + "' is missing required field 'audio'");
        return;
      }
      for (String text : new String[] {"prompt", "system"}) {
        if (fields.get(text) != null && fields.get(text).indexOf('\uFFFD') >= 0) {
          problem(line, id, "item '" + id + "': " + text + " contains U+FFFD (\uFFFD), the mark of text garbled by "
              + "a wrong character set before it reached the manifest; it would be sent, and billed, as garbage. "
              + "Write the manifest's text again in UTF-8");
          return;
        }
      }
      RequestParams params;
      try {
        params = new RequestParams(fields.get("prompt"), fields.get("system"),
            intIn(fields.get("max_tokens"), "max_tokens"), doubleIn(fields.get("temperature"), "temperature"),
            doubleIn(fields.get("top_p"), "top_p")).requireWithinLimits();
      } catch (IllegalArgumentException e) {
        problem(line, id, "item '" + id + "': " + e.getMessage());
        return;
      }
      firstLineOfId.putIfAbsent(id, line);
      sink.item(new ManifestItem(id, resolve.apply(audio), params, line));
    }
  }

  /** A whole number or null; its range is RequestParams' to check. */
  private static Integer intIn(String text, String name) {
    return numberIn(text, name, Integer::valueOf, "a whole number");
  }

  /** A number or null; its range is RequestParams' to check. */
  private static Double doubleIn(String text, String name) {
    return numberIn(text, name, Double::valueOf, "a number");
  }

  private static <T> T numberIn(String text, String name, Function<String, T> parse, String kind) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return parse.apply(text.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be " + kind + ", got '" + text + "'");
    }
  }
}
