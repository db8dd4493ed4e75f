package io.glmvoicebatch.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Debian's headless Chromium driven over the DevTools protocol (a loopback WebSocket, spoken with
 * java.net.http): navigate, evaluate JavaScript, collect console errors and exceptions, screenshot.
 */
final class HeadlessChromium implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);

  private final Process process;
  private final Path profile;
  private final WebSocket socket;
  private final AtomicInteger nextId = new AtomicInteger(1);
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final List<JsonNode> events = new CopyOnWriteArrayList<>();

  private HeadlessChromium(Process process, Path profile, WebSocket socket) {
    this.process = process;
    this.profile = profile;
    this.socket = socket;
  }

  /** The browser binary: $CHROMIUM_BIN, else chromium / chromium-browser / google-chrome on the PATH. */
  static Optional<Path> find() {
    String env = System.getenv("CHROMIUM_BIN");
    if (env != null && !env.isBlank() && Files.isExecutable(Path.of(env))) {
      return Optional.of(Path.of(env));
    }
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    for (String name : List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")) {
      for (String dir : path.split(File.pathSeparator)) {
        Path p = Path.of(dir, name);
        if (Files.isExecutable(p)) {
          return Optional.of(p);
        }
      }
    }
    return Optional.empty();
  }

  static HeadlessChromium start(Path binary, Path logFile) throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory("report-chromium-");
    ProcessBuilder pb = new ProcessBuilder(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-extensions", "--mute-audio",
        "--autoplay-policy=no-user-gesture-required", "--user-data-dir=" + profile, "--remote-debugging-port=0",
        "--window-size=1400,1800", "about:blank");
    pb.redirectErrorStream(true).redirectOutput(logFile.toFile());
    Process process = pb.start();
    Path portFile = profile.resolve("DevToolsActivePort");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!(Files.exists(portFile) && Files.readAllLines(portFile).size() >= 2)) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        destroy(process);
        throw new IOException("chromium did not open its DevTools port (exit "
            + (process.isAlive() ? "none" : process.exitValue()) + "); log: " + tail(logFile));
      }
      Thread.sleep(50);
    }
    int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
    HttpClient http = HttpClient.newHttpClient();
    String wsUrl = null;
    for (int tries = 0; tries < 100 && wsUrl == null; tries++) {
      HttpResponse<String> list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      for (JsonNode t : JSON.readTree(list.body())) {
        if ("page".equals(t.path("type").asText())) {
          wsUrl = t.path("webSocketDebuggerUrl").asText();
          break;
        }
      }
      if (wsUrl == null) {
        Thread.sleep(100);
      }
    }
    if (wsUrl == null) {
      destroy(process);
      throw new IOException("chromium has no page target");
    }
    Listener listener = new Listener();
    WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create(wsUrl), listener).join();
    HeadlessChromium c = new HeadlessChromium(process, profile, ws);
    listener.owner = c;
    return c;
  }

  /** Sends one DevTools command and waits for its result (throws on a protocol error). */
  JsonNode call(String method, Map<String, ?> params) throws Exception {
    int id = nextId.getAndIncrement();
    ObjectNode msg = JSON.createObjectNode();
    msg.put("id", id);
    msg.put("method", method);
    msg.set("params", JSON.valueToTree(params));
    CompletableFuture<JsonNode> f = new CompletableFuture<>();
    pending.put(id, f);
    socket.sendText(JSON.writeValueAsString(msg), true).join();
    JsonNode reply = f.get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    if (reply.has("error")) {
      throw new IllegalStateException(method + " failed: " + reply.get("error"));
    }
    return reply.path("result");
  }

  /** Evaluates {@code expression} in the page (awaiting a promise) and returns its JSON value. */
  JsonNode eval(String expression) throws Exception {
    JsonNode r = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true,
        "awaitPromise", true));
    if (r.has("exceptionDetails")) {
      throw new IllegalStateException("page threw evaluating " + expression + ": " + r.get("exceptionDetails"));
    }
    return r.path("result").path("value");
  }

  /** Waits until an event matching {@code p} has arrived. */
  JsonNode awaitEvent(Predicate<JsonNode> p, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (JsonNode e : events) {
        if (p.test(e)) {
          return e;
        }
      }
      Thread.sleep(25);
    }
    throw new IllegalStateException("no matching DevTools event within " + timeout + "; got " + methods());
  }

  /** Polls {@code expression} until it evaluates to true. */
  void awaitTrue(String expression, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (eval(expression).asBoolean(false)) {
        return;
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("not true within " + timeout + ": " + expression);
  }

  /**
   * Console errors, uncaught exceptions and browser log errors (CSP violations, failed loads) seen so far,
   * as readable lines.
   */
  List<String> errors() {
    return errorsSince(0);
  }

  /** How many events have arrived so far: a mark for {@link #errorsSince}. */
  int eventCount() {
    return events.size();
  }

  /** Like {@link #errors()}, counting only the events after {@code mark}. */
  List<String> errorsSince(int mark) {
    List<String> out = new ArrayList<>();
    for (JsonNode e : events.subList(Math.min(mark, events.size()), events.size())) {
      String m = e.path("method").asText();
      JsonNode p = e.path("params");
      if (m.equals("Runtime.exceptionThrown")) {
        JsonNode d = p.path("exceptionDetails");
        out.add("exception: " + d.path("text").asText() + " " + d.path("exception").path("description").asText()
            + " at " + d.path("url").asText() + ":" + d.path("lineNumber").asInt());
      } else if (m.equals("Runtime.consoleAPICalled")
          && (p.path("type").asText().equals("error") || p.path("type").asText().equals("assert"))) {
        out.add("console." + p.path("type").asText() + ": " + p.path("args"));
      } else if (m.equals("Log.entryAdded") && p.path("entry").path("level").asText().equals("error")) {
        out.add("log (" + p.path("entry").path("source").asText() + "): " + p.path("entry").path("text").asText()
            + " " + p.path("entry").path("url").asText());
      }
    }
    return out;
  }

  List<String> methods() {
    return events.stream().map(e -> e.path("method").asText()).toList();
  }

  /** A PNG of the viewport. */
  byte[] screenshot() throws Exception {
    JsonNode r = call("Page.captureScreenshot", Map.of("format", "png"));
    return Base64.getDecoder().decode(r.path("data").asText());
  }

  @Override
  public void close() {
    try {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // the browser is being stopped anyway
    }
    destroy(process);
    try (Stream<Path> walk = Files.walk(profile)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temp profile left behind is harmless
    }
  }

  private static void destroy(Process p) {
    List<ProcessHandle> kids = p.descendants().toList();
    p.destroy();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    kids.forEach(k -> {
      if (k.isAlive()) {
        k.destroyForcibly();
      }
    });
  }

  static String tail(Path log) {
    try {
      String s = Files.readString(log, StandardCharsets.UTF_8);
      return s.length() > 2000 ? s.substring(s.length() - 2000) : s;
    } catch (IOException e) {
      return "(no log)";
    }
  }

  private void received(String text) {
    try {
      JsonNode n = JSON.readTree(text);
      if (n.has("id")) {
        CompletableFuture<JsonNode> f = pending.remove(n.get("id").asInt());
        if (f != null) {
          f.complete(n);
        }
      } else {
        events.add(n);
      }
    } catch (IOException e) {
      events.add(JSON.createObjectNode().put("method", "unparseable").put("text", text));
    }
  }

  /** Reassembles fragmented text frames (screenshots arrive in many). */
  private static final class Listener implements WebSocket.Listener {
    volatile HeadlessChromium owner;
    private final StringBuilder buf = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      buf.append(data);
      if (last) {
        String text = buf.toString();
        buf.setLength(0);
        while (owner == null) {
          Thread.onSpinWait();
        }
        owner.received(text);
      }
      ws.request(1);
      return null;
    }
  }
}
