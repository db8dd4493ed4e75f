package io.glmvoicebatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.glmvoicebatch.ledger.LedgerRecord;
import io.glmvoicebatch.ledger.LedgerView;
import io.glmvoicebatch.ledger.OutputFolder;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A service that accepts every connection, reads every request and never answers: the batch (the CLI in a
 * process of its own) must end by itself, exit 3, with the requests it sent {@code uncertain} and the rest not
 * sent. Run with the defaults scaled down 300 times (read timeout 1 s for 300 s, slot hold 2 s for 600 s), the
 * cap and the failure count as they are (5, 20); the bound is (ceil(N/C) - 1) x S + R = 3 x 2 + 1 = 7 s of
 * sending. The elapsed time is printed for BENCHMARKS.md, not asserted (no wall-clock limits in tests).
 */
class UnansweringServiceTest {
  private static final int ITEMS = 30;
  @TempDir Path dir;

  @Test
  void aServiceThatNeverAnswersStopsTheBatchAfterABoundedTime() throws Exception {
    Path manifest = ClipManifest.write(dir.resolve("manifest.jsonl"), ITEMS, i -> "Say something.");
    Path out = dir.resolve("out");
    try (SilentService service = new SilentService()) {
      Map<String, String> env = new HashMap<>(System.getenv());
      env.put("ZHIPUAI_API_KEY", "silent.c2VjcmV0c2VjcmV0");
      long start = System.nanoTime();
      ChildProcess run = ChildProcess.start(ChildProcess.cli(List.of("-Xmx256m"), "--manifest=" + manifest,
          "--outputDir=" + out, "--endpoint=http://127.0.0.1:" + service.port() + "/api/paas/v4", "--maxInFlight=5",
          "--readTimeoutSeconds=1", "--serviceMaxRequestSeconds=2", "--maxConsecutiveConnectionFailures=20"),
          env, dir, "batch");
      int code = run.exitWithin(600);
      double seconds = (System.nanoTime() - start) / 1e9;
      assertEquals(ExitCode.STOPPED_EARLY.code(), code, run.all());
      assertTrue(run.out().contains("STOPPED EARLY: the service at 127.0.0.1:" + service.port()
          + " gave no answer to 20 attempts in a row"), run.all());

      Map<String, LedgerRecord> last = LedgerView.read(out.resolve(OutputFolder.LEDGER)).latest();
      long uncertain = last.values().stream().filter(r -> LedgerRecord.UNCERTAIN.equals(r.status())).count();
      long notSent = last.values().stream().filter(r -> LedgerRecord.FAILED.equals(r.status())
          && "batch_stopped".equals(r.error().code())).count();
      assertTrue(uncertain >= 20 && uncertain <= 25, "uncertain " + uncertain + ": " + last.values());
      assertEquals(ITEMS, uncertain + notSent, last.values().toString());
      assertEquals(uncertain, service.requests.get(), "each request it received is one uncertain item");
      // From the first request's start to the last line: the part the formula bounds.
      Instant first = last.values().stream().filter(r -> LedgerRecord.UNCERTAIN.equals(r.status()))
          .map(r -> Instant.parse(r.startedAt())).min(Instant::compareTo).orElseThrow();
      Instant end = last.values().stream().map(r -> Instant.parse(r.finishedAt())).max(Instant::compareTo).orElseThrow();
      System.out.printf(Locale.ROOT, "UnansweringServiceTest: cap 5, N 20, read timeout 1 s, slot hold 2 s: "
          + "%.1f s from the first request to the stop (formula: 7 s); the CLI process ran %.1f s; %d requests "
          + "received, %d items uncertain, %d not sent%n", Duration.between(first, end).toMillis() / 1000.0, seconds,
          service.requests.get(), uncertain, notSent);
    }
  }

  /** Accepts, reads whatever comes until the client closes, answers nothing. */
  private static final class SilentService implements AutoCloseable {
    final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    final List<Socket> open = new CopyOnWriteArrayList<>();
    final AtomicInteger requests = new AtomicInteger();

    SilentService() throws IOException {
      Thread acceptor = new Thread(() -> {
        while (!server.isClosed()) {
          try {
            Socket s = server.accept();
            open.add(s);
            Thread t = new Thread(() -> drain(s), "silent-conn");
            t.setDaemon(true);
            t.start();
          } catch (IOException e) {
            return;
          }
        }
      }, "silent-service");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return server.getLocalPort();
    }

    /** Counts each request line ("POST ...") and never writes a byte back. */
    private void drain(Socket s) {
      try (InputStream in = s.getInputStream()) {
        byte[] buf = new byte[65536];
        String carry = "";
        for (int n; (n = in.read(buf)) >= 0; ) {
          String chunk = carry + new String(buf, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1);
          for (int at = chunk.indexOf("POST /"); at >= 0; at = chunk.indexOf("POST /", at + 1)) {
            requests.incrementAndGet();
          }
          carry = chunk.substring(Math.max(0, chunk.length() - 5));
        }
      } catch (IOException e) {
        // the client gave up on it
      }
    }

    @Override
    public void close() throws IOException {
      server.close();
      for (Socket s : open) {
        s.close();
      }
    }
  }
}
