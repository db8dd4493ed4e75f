package io.glmvoicebatch.cluster;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The simulator as its own process ({@code java -jar <cluster jar> simulator}), as a cluster's workers reach
 * a service: started fresh for each run so its counts (requests, max in flight, billed tokens) are that run's.
 */
final class SimulatorProcess implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final int port;

  private SimulatorProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts the simulator on {@code port} with the account's cap and a fixed latency; waits until it answers. */
  static SimulatorProcess start(Path jar, Path dir, int port, int cap, int latencyMs, String key) throws Exception {
    Path keyFile = dir.resolve("key.txt");
    Files.writeString(keyFile, key);
    Path log = dir.resolve("simulator-" + port + ".log");
    Process p = new ProcessBuilder(java(), "-Xmx1g", "-jar", jar.toString(), "simulator", "--port=" + port,
        "--maxInFlight=" + cap, "--latency=fixed:" + latencyMs, "--apiKeyFile=" + keyFile)
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    SimulatorProcess sim = new SimulatorProcess(p, port);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try {
        sim.stats();
        return sim;
      } catch (java.io.IOException e) {
        if (!p.isAlive() || System.nanoTime() > deadline) {
          sim.close();
          throw new AssertionError("simulator did not start: " + Files.readString(log));
        }
        Thread.sleep(100);
      }
    }
  }

  /** The simulator's counts: requests, maxInFlight, tooManyRequestsSent, totalTokensBilled, requestIdsSeen... */
  JsonNode stats() throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/simulator/stats")).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body());
  }

  String endpoint() {
    return "http://127.0.0.1:" + port + "/api/paas/v4";
  }

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
    assertTrue(!process.isAlive());
  }
}
