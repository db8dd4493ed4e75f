package io.glmvoicebatch.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/** Writes the service's replies, well-formed or deliberately broken, onto an exchange. */
final class ResponseWriter {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final String JSON_TYPE = "application/json; charset=UTF-8";
  private static final int TRICKLE_PIECES = 30;
  private static final int WRITE_PIECE = 64 * 1024;
  private static final String BAD_GATEWAY_PAGE =
      "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
          + "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
          + "</body>\r\n</html>\r\n";

  private ResponseWriter() {}

  static void json(HttpExchange exchange, int status, Object body) throws IOException {
    json(exchange, status, body, () -> {});
  }

  /** {@code beforeLastWrite} runs after the body is rendered and just before it is sent. */
  static void json(HttpExchange exchange, int status, Object body, Runnable beforeLastWrite)
      throws IOException {
    json(exchange, status, render(body), beforeLastWrite);
  }

  /** A body rendered ahead, while the simulated model is still "working". */
  static void json(HttpExchange exchange, int status, byte[] rendered, Runnable beforeLastWrite)
      throws IOException {
    beforeLastWrite.run();
    send(exchange, status, JSON_TYPE, rendered);
  }

  static byte[] render(Object body) throws IOException {
    return JSON.writeValueAsBytes(body);
  }

  static void error(HttpExchange exchange, ServiceErrorException e) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.putObject("error").put("code", e.code()).put("message", e.getMessage());
    json(exchange, e.httpStatus(), root);
  }

  static void badGatewayPage(HttpExchange exchange) throws IOException {
    send(exchange, 502, "text/html", BAD_GATEWAY_PAGE.getBytes(StandardCharsets.US_ASCII));
  }

  /** Sends headers announcing the full length, then only part of the body, then drops. */
  static void jsonThenDrop(HttpExchange exchange, byte[] bytes, double fraction, Runnable beforeLastWrite)
      throws IOException {
    beforeLastWrite.run();
    exchange.getResponseHeaders().set("Content-Type", JSON_TYPE);
    exchange.sendResponseHeaders(200, bytes.length);
    int sent = (int) (bytes.length * fraction);
    OutputStream out = exchange.getResponseBody();
    writeInPieces(out, bytes, sent);
    out.flush();
    throw new DeliberateConnectionDrop(sent, bytes.length);
  }

  /** A correct body delivered in small pieces spread over {@code total}. */
  static void jsonTrickled(HttpExchange exchange, byte[] bytes, Duration total, Runnable beforeLastWrite)
      throws IOException, InterruptedException {
    exchange.getResponseHeaders().set("Content-Type", JSON_TYPE);
    exchange.sendResponseHeaders(200, bytes.length);
    long pause = total.toMillis() / TRICKLE_PIECES;
    int piece = Math.max(1, (bytes.length + TRICKLE_PIECES - 1) / TRICKLE_PIECES);
    try (OutputStream out = exchange.getResponseBody()) {
      for (int from = 0; from < bytes.length; from += piece) {
        if (from + piece >= bytes.length) {
          beforeLastWrite.run();
        }
        out.write(bytes, from, Math.min(piece, bytes.length - from));
        out.flush();
        Thread.sleep(pause);
      }
    }
  }

  /**
   * Server-sent events: one {@code data: {chunk}} frame per chunk, then {@code data: [DONE]}.
   *
   * @param dropAfterFraction cut the connection after this fraction of frames; negative: never
   * @param pauseBetweenFrames delay between frames (SLOW_TRICKLE), zero for none
   */
  static void sse(
      HttpExchange exchange,
      List<ObjectNode> chunks,
      double dropAfterFraction,
      Duration pauseBetweenFrames,
      Runnable beforeLastWrite)
      throws IOException, InterruptedException {
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=UTF-8");
    exchange.getResponseHeaders().set("Cache-Control", "no-cache");
    exchange.sendResponseHeaders(200, 0); // chunked transfer encoding
    int dropAt = dropAfterFraction < 0 ? Integer.MAX_VALUE : (int) (chunks.size() * dropAfterFraction);
    OutputStream out = exchange.getResponseBody();
    for (int i = 0; i < chunks.size(); i++) {
      if (i == dropAt) {
        beforeLastWrite.run();
        out.flush();
        throw new DeliberateConnectionDrop(i, chunks.size());
      }
      out.write(("data: " + JSON.writeValueAsString(chunks.get(i)) + "\n\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      if (!pauseBetweenFrames.isZero()) {
        Thread.sleep(pauseBetweenFrames.toMillis());
      }
    }
    beforeLastWrite.run();
    out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
    out.close();
  }

  private static void send(HttpExchange exchange, int status, String contentType, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      writeInPieces(out, body, body.length);
    }
  }

  /**
   * {@code bytes[0, length)} in 64 KB pieces: NIO copies a heap array through a temporary direct buffer
   * of the bytes still to write, each time the socket takes part of them. Bounded pieces limit that
   * copying; they took ~1.5 ms off a 1.2 MB reply's delivery (BENCHMARKS.md, "Client", round 5).
   */
  private static void writeInPieces(OutputStream out, byte[] bytes, int length) throws IOException {
    for (int from = 0; from < length; from += WRITE_PIECE) {
      out.write(bytes, from, Math.min(WRITE_PIECE, length - from));
    }
  }
}
