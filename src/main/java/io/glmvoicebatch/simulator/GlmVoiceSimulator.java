package io.glmvoicebatch.simulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A test double of the GLM-4-Voice service speaking its HTTP protocol on loopback. Clients use
 * {@link #baseUrl()} exactly as they would use {@code https://open.bigmodel.cn/api/paas/v4}.
 *
 * <p>Besides the API it serves {@code GET /simulator/stats} (JSON {@link SimulatorStats}) and
 * {@code POST /simulator/reset}, outside the API's path prefix.
 */
public final class GlmVoiceSimulator implements AutoCloseable {
  static final String API_PREFIX = "/api/paas/v4";
  private static final String CHAT = API_PREFIX + "/chat/completions";
  private static final String ASYNC_CHAT = API_PREFIX + "/async/chat/completions";
  private static final String ASYNC_RESULT = API_PREFIX + "/async-result/";
  private static final Logger LOG = LoggerFactory.getLogger(GlmVoiceSimulator.class);

  private final SimulatorConfig config;
  private final HttpServer server;
  private final ExecutorService executor;
  private final ScheduledExecutorService scheduler;
  private final StatsRecorder stats;
  private final ChatCompletionsEndpoint chat;
  private final AsyncTasks async;

  private GlmVoiceSimulator(SimulatorConfig config, HttpServer server) {
    this.config = config;
    this.server = server;
    AdmissionGate gate = new AdmissionGate(config.maxInFlight(), config.reservedForOthers());
    this.stats = new StatsRecorder(gate);
    ReplyAudioRegistry audio = new ReplyAudioRegistry();
    this.chat = new ChatCompletionsEndpoint(config, Clock.systemUTC(), gate, stats, audio);
    this.executor = Executors.newFixedThreadPool(config.serverThreads(), daemonThreads("glm-sim-http"));
    this.scheduler = Executors.newSingleThreadScheduledExecutor(daemonThreads("glm-sim-async"));
    this.async = new AsyncTasks(chat, config, stats, audio, scheduler);
    server.setExecutor(executor);
    server.createContext("/", this::route);
  }

  static {
    // The JDK server otherwise keeps Nagle's algorithm on: a reply written as headers then body waits for
    // the client's delayed ACK (40 ms on Linux) — a stall the real service does not have.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  /** Binds {@code config.host():config.port()} (0 = ephemeral) and starts serving. */
  public static GlmVoiceSimulator start(SimulatorConfig config) throws IOException {
    // Backlog well above any test's concurrency so excess requests reach the gate, not a refused socket.
    HttpServer server = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 1024);
    GlmVoiceSimulator simulator = new GlmVoiceSimulator(config, server);
    server.start();
    // The URL is what a user needs; the whole configuration is three terminal rows, so it is for debugging.
    LOG.info("GLM-4-Voice simulator listening on {}", simulator.baseUrl());
    LOG.debug("simulator configuration: {}", config);
    return simulator;
  }

  /** e.g. {@code http://127.0.0.1:43127/api/paas/v4}; clients POST {@code {baseUrl}/chat/completions}. */
  public String baseUrl() {
    return "http://" + hostForUrl() + ":" + port() + API_PREFIX;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public SimulatorConfig config() {
    return config;
  }

  public SimulatorStats stats() {
    return stats.snapshot();
  }

  public void resetStats() {
    stats.reset();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    scheduler.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void route(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    boolean dropping = false;
    try {
      if (path.startsWith(API_PREFIX + "/")) {
        stats.request();
      }
      if (path.equals(CHAT)) {
        if (requireMethod(exchange, "POST")) {
          chat.handle(exchange);
        }
      } else if (path.equals(ASYNC_CHAT)) {
        if (requireMethod(exchange, "POST")) {
          async.submit(exchange);
        }
      } else if (path.startsWith(ASYNC_RESULT) && path.length() > ASYNC_RESULT.length()) {
        if (requireMethod(exchange, "GET")) {
          async.result(exchange, path.substring(ASYNC_RESULT.length()));
        }
      } else if (path.equals("/simulator/stats")) {
        if (requireMethod(exchange, "GET")) {
          ResponseWriter.json(exchange, 200, stats.snapshot());
        }
      } else if (path.equals("/simulator/reset")) {
        if (requireMethod(exchange, "POST")) {
          stats.reset();
          ResponseWriter.json(exchange, 200, stats.snapshot());
        }
      } else {
        drain(exchange);
        chat.sendError(exchange, ServiceErrorException.notFound(path), false);
      }
    } catch (DeliberateConnectionDrop e) {
      // Let it reach the server, which then closes the socket; closing the exchange here would
      // finish a chunked stream cleanly instead.
      dropping = true;
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // shutting down
    } finally {
      if (!dropping) {
        exchange.close();
      }
    }
  }

  private boolean requireMethod(HttpExchange exchange, String method) throws IOException {
    if (method.equals(exchange.getRequestMethod())) {
      return true;
    }
    drain(exchange);
    exchange.getResponseHeaders().set("Allow", method);
    chat.sendError(exchange, ServiceErrorException.methodNotAllowed(exchange.getRequestMethod()), false);
    return false;
  }

  private static void drain(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
  }

  private String hostForUrl() {
    String host = config.host();
    if (host.equals("0.0.0.0") || host.equals("::")) {
      return "127.0.0.1";
    }
    return host.contains(":") ? "[" + host + "]" : host;
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
