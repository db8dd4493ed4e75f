package io.glmvoicebatch.api;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A raw HTTP/1.1 server on loopback that reads each request whole and then does what a test scripts,
 * including what no well-behaved server (nor MockWebServer) does: declare a 2 GB body, stream forever,
 * never answer. Counts requests fully received and the most it held open at once.
 */
public final class MisbehavingServer implements AutoCloseable {
  public interface Behavior {
    void answer(Socket socket, OutputStream out) throws IOException, InterruptedException;
  }

  private final ServerSocket server;
  private final Behavior behavior;
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger active = new AtomicInteger();
  private final AtomicInteger maxActive = new AtomicInteger();
  private final Thread acceptor;
  private volatile boolean closed;

  public MisbehavingServer(Behavior behavior) throws IOException {
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.behavior = behavior;
    this.acceptor = new Thread(this::acceptLoop, "misbehaving-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public int port() {
    return server.getLocalPort();
  }

  public String endpoint() {
    return "http://127.0.0.1:" + port() + "/api/paas/v4";
  }

  /** Requests received whole (head and body). */
  public int requests() {
    return requests.get();
  }

  int maxActive() {
    return maxActive.get();
  }

  /** Status line and headers of a 200 JSON reply with the given Content-Length header (null: chunked). */
  static byte[] headers(String contentLength) {
    return ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        + (contentLength == null ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + contentLength + "\r\n")
        + "\r\n").getBytes(StandardCharsets.US_ASCII);
  }

  /** Holds the connection open, sending nothing, until the client or the test closes it. */
  public static void holdOpen(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    while (in.read() >= 0) {
      // the client never sends more on this connection; -1 or an exception means it closed
    }
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket s = server.accept();
        open.add(s);
        Thread t = new Thread(() -> serve(s), "misbehaving-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket s) {
    try (s) {
      InputStream in = new BufferedInputStream(s.getInputStream());
      long length = readHeaders(in);
      if (length < 0 || in.readNBytes((int) length).length < length) {
        return;
      }
      requests.incrementAndGet();
      int now = active.incrementAndGet();
      maxActive.accumulateAndGet(now, Math::max);
      try {
        behavior.answer(s, s.getOutputStream());
      } finally {
        active.decrementAndGet();
      }
    } catch (IOException | InterruptedException e) {
      // the client went away: that is what these tests provoke
    } finally {
      open.remove(s);
    }
  }

  /** Reads the request head; returns its Content-Length, -1 if the connection closed first. */
  private static long readHeaders(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    long length = 0;
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\n') {
        String l = line.toString().trim();
        if (l.isEmpty()) {
          return length;
        }
        if (l.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
          length = Long.parseLong(l.substring("content-length:".length()).trim());
        }
        line.setLength(0);
      } else {
        line.append((char) c);
      }
    }
    return -1;
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
    for (Socket s : open) {
      s.close();
    }
  }
}
