package io.glmvoicebatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.glmvoicebatch.cli.SampleBatchEndToEndTest.CliRun;
import io.glmvoicebatch.simulator.FaultKind;
import io.glmvoicebatch.simulator.FaultPlan;
import io.glmvoicebatch.simulator.GlmVoiceSimulator;
import io.glmvoicebatch.simulator.LatencyModel;
import io.glmvoicebatch.simulator.SimulatorConfig;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The API key never reaches any output: batches run as a user runs them (a separate JVM, slf4j at debug
 * level), in raw and JWT mode, clean, under faults, and refused with 401; then stdout, stderr (all logs)
 * and every file the run wrote are searched for the key, its secret half, and the bearer token.
 */
class KeyNeverPrintedTest {
  static final String KEY_ID = "kidQz7Xw3v";
  static final String SECRET = "SeCrEtHaLfQz7Xw3vPl0mK9nJ8";
  static final String KEY = KEY_ID + "." + SECRET;
  static final String OTHER_KEY = "otherid99.b3RoZXJzZWNyZXRvdGhlcg";

  @TempDir Path dir;

  static Stream<Arguments> runs() {
    return Stream.of(
        Arguments.of("raw", "clean", FaultPlan.none(), KEY, 0),
        Arguments.of("jwt", "clean", FaultPlan.none(), KEY, 0),
        Arguments.of("raw", "transient faults", mixedFaults(), KEY, -1),
        Arguments.of("jwt", "transient faults", mixedFaults(), KEY, -1),
        Arguments.of("raw", "401 on the 3rd request", FaultPlan.builder()
            .onRequestNumbers(FaultKind.UNAUTHORIZED_401, 3).build(), KEY, 3),
        Arguments.of("jwt", "401 on the 3rd request", FaultPlan.builder()
            .onRequestNumbers(FaultKind.UNAUTHORIZED_401, 3).build(), KEY, 3),
        // The service knows another key: every request is refused, with the presented credentials in play.
        Arguments.of("raw", "wrong key", FaultPlan.none(), OTHER_KEY, 3),
        Arguments.of("jwt", "wrong key", FaultPlan.none(), OTHER_KEY, 3));
  }

  @ParameterizedTest(name = "{0} auth, {1}")
  @MethodSource("runs")
  void keyAppearsInNoOutputOfASubprocessRunAtDebugLevel(String auth, String what, FaultPlan faults, String simKey,
      int expectedExit) throws Exception {
    SimulatorConfig config = SimulatorConfig.builder().apiKey(simKey).maxInFlight(3).seed(3)
        .latency(LatencyModel.fixed(Duration.ofMillis(20))).faults(faults).build();
    Path out = dir.resolve("out");
    Path log = dir.resolve("run.log");
    Path errLog = dir.resolve("run.err");
    try (GlmVoiceSimulator sim = GlmVoiceSimulator.start(config)) {
      List<String> cmd = new ArrayList<>(javaCommand());
      cmd.addAll(List.of("--manifest=" + manifest(8), "--outputDir=" + out, "--endpoint=" + sim.baseUrl(),
          "--auth=" + auth, "--maxInFlight=3", "--maxAttempts=3", "--progressIntervalSeconds=1"));
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(log.toFile()).redirectError(errLog.toFile());
      pb.environment().put("ZHIPUAI_API_KEY", KEY);
      Process p = pb.start();
      assertTrue(p.waitFor(240, TimeUnit.SECONDS), "run did not finish");
      String stdout = Files.readString(log, StandardCharsets.UTF_8);
      String stderr = Files.readString(errLog, StandardCharsets.UTF_8);
      if (expectedExit >= 0) {
        assertEquals(expectedExit, p.exitValue(), stdout + stderr);
      } else {
        assertTrue(p.exitValue() == 0 || p.exitValue() == 1, stdout + stderr);
      }
      assertTrue(stderr.contains("DEBUG"), "debug logging was not on: " + tail(stderr));
      assertTrue(Files.exists(out.resolve("ledger.jsonl")));
      assertTrue(Files.exists(out.resolve("summary.json")));
      assertTrue(Files.exists(out.resolve("report.html")));
      assertNoKey("stdout", stdout.getBytes(StandardCharsets.UTF_8));
      assertNoKey("stderr", stderr.getBytes(StandardCharsets.UTF_8));
      assertNoKeyInTree(out);
    }
  }

  @Test
  void helpAndUsageErrorsNeverShowTheKey() throws Exception {
    CliRun help = CliRun.of(Map.of("ZHIPUAI_API_KEY", KEY), "--help");
    assertEquals(ExitCode.ALL_DONE, help.code);
    assertNoKey("--help", help.all().getBytes(StandardCharsets.UTF_8));

    // A key JWT mode cannot use (no "<id>.<secret>" dot): refused without echoing it.
    String noDot = "NoDotKeyQz7Xw3vPl0mK9nJ8SeCrEt";
    CliRun bad = CliRun.of(Map.of("ZHIPUAI_API_KEY", noDot), "--manifest=" + manifest(2),
        "--outputDir=" + dir.resolve("bad"), "--auth=jwt", "--endpoint=http://127.0.0.1:9/api/paas/v4");
    assertEquals(ExitCode.USAGE, bad.code, bad.all());
    assertFalse(bad.all().contains(noDot), bad.all());
    assertFalse(bad.all().contains("Qz7Xw3vPl0mK9nJ8"), bad.all());

    CliRun badKeyFile = CliRun.of(Map.of(), "--manifest=" + manifest(2), "--outputDir=" + dir.resolve("bad2"),
        "--apiKeyFile=" + writeKeyFile(" " + KEY + " trailing words"), "--endpoint=http://127.0.0.1:9/api/paas/v4",
        "--maxAttempts=1", "--report=false");
    assertNoKey("bad key file run", badKeyFile.all().getBytes(StandardCharsets.UTF_8));
  }

  /** Plain http to a host that is not loopback: exit 2 naming the rule, and no connection is even opened. */
  @Test
  void plainHttpToANonLoopbackHostIsRefusedBeforeAnythingIsSent() throws Exception {
    CliRun run = CliRun.of(Map.of("ZHIPUAI_API_KEY", KEY), "--manifest=" + manifest(2),
        "--outputDir=" + dir.resolve("insecure"), "--endpoint=http://example.com/api");
    assertEquals(ExitCode.USAGE, run.code, run.all());
    assertTrue(run.stderr.contains("plain http to non-loopback host example.com"), run.stderr);
    assertTrue(run.stderr.contains("the API key would travel unencrypted"), run.stderr);
    assertTrue(run.stderr.contains("allowInsecureEndpoint"), run.stderr);
    assertNoKey("insecure endpoint run", run.all().getBytes(StandardCharsets.UTF_8));
    assertFalse(Files.exists(dir.resolve("insecure").resolve("ledger.jsonl")), "nothing may be recorded as sent");
  }

  /**
   * The same on a listening socket of this machine: nobody connects without the opt-in. The host is this
   * machine's non-loopback address, or on a loopback-only machine its host name (a name is never taken for
   * loopback, since that would need a DNS lookup), so the check runs on every machine that has either.
   */
  @Test
  void aListeningInsecureEndpointGetsNoConnectionUnlessOptedIn() throws Exception {
    InetSocketAddress listen = insecureEndpointAddress();
    try (ServerSocket server = new ServerSocket()) {
      server.bind(listen);
      BlockingQueue<Integer> accepted = new LinkedBlockingQueue<>(); // the client ports, in accept order
      Thread acceptor = new Thread(() -> {
        while (!server.isClosed()) {
          try (Socket s = server.accept()) {
            accepted.add(s.getPort());
          } catch (IOException e) {
            return;
          }
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      String endpoint = "http://" + listen.getHostString() + ":" + server.getLocalPort() + "/api/paas/v4";
      CliRun refused = CliRun.of(Map.of("ZHIPUAI_API_KEY", KEY), "--manifest=" + manifest(2),
          "--outputDir=" + dir.resolve("insecure2"), "--endpoint=" + endpoint);
      assertEquals(ExitCode.USAGE, refused.code, refused.all());
      assertTrue(refused.stderr.contains("plain http to non-loopback host"), refused.stderr);
      // The listener accepts in arrival order: once our own probe connection is accepted, any connection
      // the refused run had opened would have been accepted before it.
      try (Socket probe = new Socket(server.getInetAddress(), server.getLocalPort())) {
        assertEquals(probe.getLocalPort(), accepted.poll(30, TimeUnit.SECONDS),
            "a connection was opened to the insecure endpoint before the probe's");
      }
      // And with the explicit opt-in the same endpoint is accepted (the connection then goes ahead).
      CliRun optIn = CliRun.of(Map.of("ZHIPUAI_API_KEY", KEY), "--manifest=" + manifest(1),
          "--outputDir=" + dir.resolve("insecure3"), "--endpoint=" + endpoint, "--allowInsecureEndpoint=true",
          "--maxAttempts=1", "--readTimeoutSeconds=1", "--report=false");
      assertTrue(optIn.code != ExitCode.USAGE, optIn.all());
      assertNotNull(accepted.poll(30, TimeUnit.SECONDS), "with --allowInsecureEndpoint the request goes out");
      server.close();
      acceptor.join(TimeUnit.SECONDS.toMillis(30));
    }
  }

  private static InetSocketAddress insecureEndpointAddress() throws IOException {
    InetAddress local = nonLoopbackAddress();
    if (local != null) {
      return new InetSocketAddress(local.getHostAddress(), 0);
    }
    InetAddress named;
    try {
      named = InetAddress.getLocalHost();
    } catch (UnknownHostException e) {
      named = null;
    }
    Assumptions.assumeTrue(named != null && !named.getHostName().equalsIgnoreCase("localhost"),
        "this machine has neither a non-loopback address nor a host name that resolves: no endpoint to listen on"
            + " that the client would take for a remote host");
    return new InetSocketAddress(named.getHostName(), 0);
  }

  // ---------------------------------------------------------------------------------------------

  /** Every retryable fault plus replies we reject, so error paths (and their messages) all run. */
  private static FaultPlan mixedFaults() {
    return FaultPlan.builder().rate(FaultKind.SERVER_500, 0.1).rate(FaultKind.HTML_502, 0.1)
        .rate(FaultKind.DROP_CONNECTION_MID_BODY, 0.1).rate(FaultKind.OVERLOADED_1305, 0.05)
        .rate(FaultKind.CONCURRENCY_1302_BURST, 0.05).rate(FaultKind.NO_AUDIO, 0.05)
        .rate(FaultKind.BAD_BASE64, 0.05).rate(FaultKind.MISSING_USAGE, 0.05)
        .sensitiveMarker("item 5 ").build();
  }

  private static void assertNoKey(String where, byte[] content) {
    String text = new String(content, StandardCharsets.ISO_8859_1); // byte-exact, binary files too
    assertFalse(text.contains(KEY), "the key appears in " + where);
    assertFalse(text.contains(SECRET), "the key's secret appears in " + where);
    assertFalse(text.contains(SECRET.substring(0, 12)), "part of the key's secret appears in " + where);
    // "Bearer <key>" in --help is documentation; a real credential after "Bearer " is a leak.
    assertFalse(text.matches("(?s).*Bearer [A-Za-z0-9._~+/=-]{12,}.*"), "a bearer credential appears in " + where);
    // An HS256 JWT built from the key starts with this header ({"alg":"HS256","sign_type":"SIGN"}...).
    assertFalse(text.matches("(?s).*eyJ[A-Za-z0-9_-]{10,}\\.eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{20,}.*"),
        "a JWT appears in " + where);
  }

  private static void assertNoKeyInTree(Path root) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root)) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    assertTrue(files.size() >= 3, files.toString());
    for (Path f : files) {
      assertNoKey(root.relativize(f).toString(), Files.readAllBytes(f));
    }
  }

  private static List<String> javaCommand() {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return List.of(java, "-Xmx512m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=debug", "-cp",
        System.getProperty("java.class.path"), "io.glmvoicebatch.cli.Main");
  }

  private Path manifest(int items) throws IOException {
    File[] clips = Path.of("sample-data/clips").toFile().listFiles((d, n) -> n.endsWith(".wav"));
    java.util.Arrays.sort(clips);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < items; i++) {
      lines.add("{\"id\":\"k-" + i + "\",\"audio\":\"" + clips[i % clips.length].getAbsolutePath()
          + "\",\"prompt\":\"Answer item " + i + " briefly.\"}");
    }
    Path manifest = dir.resolve("manifest-" + items + ".jsonl");
    Files.write(manifest, lines, StandardCharsets.UTF_8);
    return manifest;
  }

  private Path writeKeyFile(String content) throws IOException {
    Path f = dir.resolve("key.txt");
    Files.writeString(f, content, StandardCharsets.UTF_8);
    return f;
  }

  private static InetAddress nonLoopbackAddress() throws IOException {
    for (var nif : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
      if (!nif.isUp() || nif.isLoopback()) {
        continue;
      }
      for (InetAddress a : java.util.Collections.list(nif.getInetAddresses())) {
        if (a instanceof java.net.Inet4Address && !a.isLoopbackAddress()) {
          return a;
        }
      }
    }
    return null;
  }

  private static String tail(String s) {
    return s.length() > 3000 ? s.substring(s.length() - 3000) : s;
  }
}
