package io.glmvoicebatch.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a JSONL or CSV manifest. Every line becomes either an item or a problem, so one bad line never
 * stops the batch. Audio paths are resolved against the manifest's folder unless absolute.
 */
public final class ManifestReader {
  static final Set<String> FIELDS =
      Set.of("id", "audio", "prompt", "system", "max_tokens", "temperature", "top_p");

  private static final ObjectMapper JSON = new ObjectMapper();

  private ManifestReader() {}

  /**
   * Reads a manifest named by a local path or by a URI of any Beam filesystem ({@code gs://...}); relative
   * audio paths resolve against the manifest's folder on the same filesystem.
   */
  public static Manifest read(String location) throws IOException {
    if (!RemoteFiles.isUri(location)) {
      return read(Path.of(location));
    }
    List<String> lines = new String(RemoteFiles.readAll(location), StandardCharsets.UTF_8).lines().toList();
    boolean csv = location.toLowerCase(Locale.ROOT).endsWith(".csv");
    Manifest m = csv ? parseCsv(location, lines, null) : parseJsonLines(location, lines, null);
    List<ManifestItem> resolved = new ArrayList<>();
    for (ManifestItem item : m.items()) {
      String audio = item.audio();
      resolved.add(RemoteFiles.isUri(audio) || audio.startsWith("/") ? item
          : item.toBuilder().audio(RemoteFiles.resolveAgainstFolderOf(location, audio)).build());
    }
    return new Manifest(location, resolved, m.problems());
  }

  /** Reads {@code file}; CSV when its name ends in .csv, JSON Lines otherwise. */
  public static Manifest read(Path file) throws IOException {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(file.toString(), null, "manifest not found");
    }
    Path base = file.toAbsolutePath().getParent();
    boolean csv = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv");
    return csv ? parseCsv(file.toString(), lines, base) : parseJsonLines(file.toString(), lines, base);
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
    Builder out = new Builder(folder.toString(), folder.toAbsolutePath());
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
    return out.build();
  }

  static Manifest parseJsonLines(String source, List<String> lines, Path base) {
    Builder out = new Builder(source, base);
    for (int i = 0; i < lines.size(); i++) {
      int lineNo = i + 1;
      String text = lines.get(i);
      if (i == 0 && text.startsWith("\uFEFF")) {
        text = text.substring(1);
      }
      if (text.isBlank() || text.stripLeading().startsWith("#")) {
        continue;
      }
      JsonNode node;
      try {
        node = JSON.readTree(text);
      } catch (JsonProcessingException e) {
        out.problem(lineNo, null, "invalid JSON: " + e.getOriginalMessage());
        continue;
      }
      if (!(node instanceof ObjectNode)) {
        out.problem(lineNo, null, "expected a JSON object, found " + node.getNodeType().toString().toLowerCase(Locale.ROOT));
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
    return out.build();
  }

  static Manifest parseCsv(String source, List<String> lines, Path base) {
    Builder out = new Builder(source, base);
    CsvLineSplitter splitter = new CsvLineSplitter(lines);
    List<String> header = null;
    CsvLineSplitter.Row row;
    while ((row = splitter.next()) != null) {
      if (row.problem() != null) {
        out.problem(row.line(), null, row.problem());
        continue;
      }
      List<String> cells = row.cells();
      if (header == null) {
        header = new ArrayList<>();
        for (String h : cells) {
          header.add(h.strip().replace("\uFEFF", "").toLowerCase(Locale.ROOT));
        }
        for (String h : header) {
          if (!FIELDS.contains(h)) {
            out.problem(row.line(), null, "unknown CSV column '" + h + "' (known: " + String.join(", ", sortedFields()) + ")");
          }
        }
        continue;
      }
      if (cells.size() == 1 && cells.get(0).isBlank()) {
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
    return out.build();
  }

  private static List<String> sortedFields() {
    return FIELDS.stream().sorted().toList();
  }

  private static String textOrNull(JsonNode n) {
    return n == null || n.isNull() || n.isContainerNode() ? null : n.asText();
  }

  /** Accumulates items and problems, and enforces the rules that span lines (unique ids). */
  private static final class Builder {
    private final String source;
    private final Path base;
    private final List<ManifestItem> items = new ArrayList<>();
    private final List<ManifestProblem> problems = new ArrayList<>();
    private final Map<String, Integer> firstLineOfId = new HashMap<>();

    Builder(String source, Path base) {
      this.source = source;
      this.base = base;
    }

    void problem(int line, String id, String message) {
      // A problem keeps its own id when that id is usable, so the ledger names the item the user wrote;
      // the id is then taken, and a later line reusing it is a duplicate.
      String key = "line-" + line;
      if (id != null && ItemIdRule.problemWith(id) == null && !firstLineOfId.containsKey(id)) {
        key = id;
        firstLineOfId.put(id, line);
      }
      problems.add(new ManifestProblem(line, key, "manifest line " + line + ": " + message));
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
      Integer first = firstLineOfId.get(id);
      if (first != null) {
        problem(line, null, "duplicate id '" + id + "' (first used on line " + first + ")");
        return;
      }
      String audio = fields.get("audio");
      if (audio == null || audio.isBlank()) {
        problem(line, id, "item '" + id + "' is missing required field 'audio'");
        return;
      }
      ManifestItem.Builder item = ManifestItem.builder().id(id).line(line).audio(resolve(audio));
      item.prompt(fields.get("prompt")).system(fields.get("system"));
      try {
        item.maxTokens(intIn(fields.get("max_tokens"), "max_tokens", 1, 4096));
        item.temperature(doubleIn(fields.get("temperature"), "temperature", 0.0, 1.0));
        item.topP(doubleIn(fields.get("top_p"), "top_p", 0.01, 1.0));
      } catch (IllegalArgumentException e) {
        problem(line, id, "item '" + id + "': " + e.getMessage());
        return;
      }
      firstLineOfId.put(id, line);
      items.add(item.build());
    }

    private String resolve(String audio) {
      if (RemoteFiles.isUri(audio) || base == null) {
        return audio; // a remote manifest's relative paths are resolved by read(String)
      }
      Path p = Path.of(audio);
      return (p.isAbsolute() ? p : base.resolve(p)).normalize().toString();
    }

    Manifest build() {
      return new Manifest(source, items, problems);
    }
  }

  private static Integer intIn(String text, String name, int min, int max) {
    if (text == null || text.isBlank()) {
      return null;
    }
    int v;
    try {
      v = Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, got '" + text + "'");
    }
    if (v < min || v > max) {
      throw new IllegalArgumentException(name + " must be in " + min + ".." + max + ", got " + v);
    }
    return v;
  }

  private static Double doubleIn(String text, String name, double min, double max) {
    if (text == null || text.isBlank()) {
      return null;
    }
    double v;
    try {
      v = Double.parseDouble(text.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number, got '" + text + "'");
    }
    if (!(v >= min && v <= max)) {
      throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], got " + text.strip());
    }
    return v;
  }
}
