package io.glmvoicebatch.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The synchronous chat-completions endpoint: the order of checks below is the simulated service's
 * pipeline (auth, account state, validation, moderation, admission, generation, delivery).
 */
final class ChatCompletionsEndpoint {
  private static final DateTimeFormatter ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSS").withZone(ZoneId.of("Asia/Shanghai"));

  private final SimulatorConfig config;
  private final Clock clock;
  private final BearerAuthenticator auth;
  private final RequestValidator validator;
  private final AdmissionGate gate;
  private final StatsRecorder stats;
  private final ReplyAudioRegistry audioRegistry;
  private final AtomicLong arrivals = new AtomicLong();
  private final Map<String, AtomicInteger> attemptsByKey = new ConcurrentHashMap<>();
  private final Set<String> completedRequestIds = ConcurrentHashMap.newKeySet();
  private final AtomicInteger burstRemaining = new AtomicInteger();
  private final SpeechBank speech;

  ChatCompletionsEndpoint(
      SimulatorConfig config, Clock clock, AdmissionGate gate, StatsRecorder stats, ReplyAudioRegistry audioRegistry) {
    this.config = config;
    this.clock = clock;
    this.auth = new BearerAuthenticator(config.apiKey(), clock);
    this.validator = new RequestValidator(config.model(), audioRegistry::tokensOf);
    this.gate = gate;
    this.stats = stats;
    this.audioRegistry = audioRegistry;
    // Long enough that slices of the longest default reply start at many different places.
    double bankSeconds = Math.max(30, 3 * config.maxReplySpeech().toMillis() / 1000.0);
    this.speech = new SpeechBank(config.replySampleRate(), bankSeconds, config.seed());
  }

  /** What the front half of the pipeline hands to generation. */
  record Admitted(ChatRequest request, String id, String requestId, SplittableRandom random, FaultKind fault) {}

  void handle(HttpExchange exchange) throws IOException, InterruptedException {
    // The account counts a request from its arrival (headers in), as a gateway in front of the model
    // would, until its reply is out: the upload and the checks below occupy the slot too.
    // Error replies give the slot back before they go out, as a 200 does before its last bytes; the
    // finally covers every other way out.
    AdmissionGate.Slot slot = gate.tryAdmit();
    try {
      Admitted admitted;
      try {
        admitted = screen(exchange);
      } catch (ServiceErrorException e) {
        release(slot);
        sendError(exchange, e, false);
        return;
      }
      FaultKind fault = admitted.fault();
      // Gateway faults: answered at once, giving the slot back.
      ServiceErrorException early = null;
      if (fault == FaultKind.UNAUTHORIZED_401) {
        early = ServiceErrorException.authFailed();
      } else if (fault == FaultKind.OVERLOADED_1305) {
        early = ServiceErrorException.overloaded();
      } else if (fault == FaultKind.CONCURRENCY_1302_BURST) {
        burstRemaining.set(config.faults().burstLength() - 1);
        early = ServiceErrorException.concurrencyExceeded();
      } else if (burstRemaining.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        early = ServiceErrorException.concurrencyExceeded();
      }
      if (early != null) {
        release(slot);
        sendError(exchange, early, false);
        return;
      }
      // A request that is also malformed gets its validation error above, not 1302.
      if (slot == null) {
        sendError(exchange, ServiceErrorException.concurrencyExceeded(), true);
        return;
      }
      generateAndDeliver(exchange, admitted, slot);
    } finally {
      release(slot);
    }
  }

  private static void release(AdmissionGate.Slot slot) {
    if (slot != null) {
      slot.close();
    }
  }

  /** Auth, account state, validation and moderation; also records the request. */
  private Admitted screen(HttpExchange exchange) throws ServiceErrorException, IOException {
    long number = arrivals.incrementAndGet();
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    JsonNode json = null;
    ServiceErrorException parseError = null;
    try {
      json = RequestValidator.parse(body);
    } catch (ServiceErrorException e) {
      parseError = e;
    }
    JsonNode callerIdNode = json == null ? null : json.get("request_id");
    String callerId = callerIdNode != null && callerIdNode.isTextual() ? callerIdNode.asText() : null;
    String key = RequestRandom.requestKey(callerId, body);
    // Retries are counted per logical request: clients (ours included) mark attempt N of request_id X
    // as "X-rN", so those count as attempts 2, 3... of X, not as first attempts of new requests.
    String retryKey = callerId == null ? key : RequestRandom.requestKey(baseRequestId(callerId), body);
    int attempt = attemptsByKey.computeIfAbsent(retryKey, k -> new AtomicInteger()).incrementAndGet();
    SplittableRandom random = RequestRandom.forAttempt(config.seed(), key, attempt);
    String id = newId(random);
    String requestId = callerId != null ? callerId : id;
    stats.requestIdSeen(requestId);

    auth.authenticate(exchange.getRequestHeaders().getFirst("Authorization"));
    if (stats.totalTokensBilled() >= config.faults().arrearsAfterTokens()) {
      throw ServiceErrorException.arrears();
    }
    String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
    if (contentType == null || !contentType.toLowerCase().startsWith("application/json")) {
      throw ServiceErrorException.badParameter("Content-Type必须为application/json, got " + contentType);
    }
    if (parseError != null) {
      throw parseError;
    }
    ChatRequest request = validator.validate(json);
    if (config.rejectDuplicateRequestIds() && callerId != null && completedRequestIds.contains(callerId)) {
      throw ServiceErrorException.duplicateRequestId(callerId);
    }
    if (config.faults().sensitiveMarker().map(request.promptText()::contains).orElse(false)) {
      throw ServiceErrorException.sensitive();
    }
    FaultKind fault = config.faults().decide(number, attempt, request.promptText(), random.split());
    if (fault == FaultKind.SENSITIVE_1301_ON_MARKER) {
      throw ServiceErrorException.sensitive(); // injected by rate or trigger rather than by marker
    }
    return new Admitted(request, id, requestId, random, fault);
  }

  private void generateAndDeliver(HttpExchange exchange, Admitted a, AdmissionGate.Slot slot)
      throws IOException, InterruptedException {
    ChatRequest request = a.request();
    Duration latency = config.latency().sample(a.random().split());
    boolean failsAfterLatency = a.fault() == FaultKind.SERVER_500 || a.fault() == FaultKind.HTML_502;
    // The model works during its latency: the reply is generated and rendered first and goes out when the
    // latency is up, so the latency model is the time from arrival to the first byte of the reply, not
    // latency plus our own checking, synthesis and rendering time.
    ChatCompletion completion = failsAfterLatency ? null : generate(a);
    FaultKind malformation = a.fault() != null && a.fault().isMalformedSuccess() ? a.fault() : null;
    boolean drop = a.fault() == FaultKind.DROP_CONNECTION_MID_BODY;
    boolean trickle = a.fault() == FaultKind.SLOW_TRICKLE;
    List<ObjectNode> chunks = completion != null && request.stream() ? completion.toStreamChunks(malformation) : null;
    byte[] body =
        completion == null || chunks != null
            ? null
            : ResponseWriter.render(completion.toJson(drop || trickle ? null : malformation));
    sleepUntil(slot.admittedNanos() + latency.toNanos());
    if (a.fault() == FaultKind.SERVER_500) {
      slot.close();
      sendError(exchange, ServiceErrorException.internal(), false);
      return;
    }
    if (a.fault() == FaultKind.HTML_502) {
      slot.close();
      stats.error("502", false);
      ResponseWriter.badGatewayPage(exchange);
      return;
    }
    // Billed once generated: a reply lost in transit was still produced and charged.
    stats.bill(a.requestId(), completion.promptTokens(), completion.completionTokens());
    audioRegistry.remember(completion.audioId(), completion.plan().audioTokens());
    if (request.requestId() != null) {
      completedRequestIds.add(request.requestId());
    }
    // Counted and released before the last bytes leave, so a client never outruns the stats.
    Runnable finishing =
        () -> {
          if (drop) {
            stats.dropped();
          } else {
            stats.okReply();
          }
          slot.close();
        };
    if (chunks != null) {
      Duration pause = trickle ? config.faults().trickleDuration().dividedBy(chunks.size() + 1) : Duration.ZERO;
      ResponseWriter.sse(exchange, chunks, drop ? config.faults().dropAfterFraction() : -1, pause, finishing);
    } else if (drop) {
      ResponseWriter.jsonThenDrop(exchange, body, config.faults().dropAfterFraction(), finishing);
    } else if (trickle) {
      ResponseWriter.jsonTrickled(exchange, body, config.faults().trickleDuration(), finishing);
    } else {
      ResponseWriter.json(exchange, 200, body, finishing);
    }
    stats.served(System.nanoTime() - slot.admittedNanos());
  }

  /** JDK 17's {@code Thread.sleep(millis, nanos)} rounds to whole milliseconds; the latency model is finer. */
  private static void sleepUntil(long deadlineNanos) throws InterruptedException {
    for (long left = deadlineNanos - System.nanoTime(); left > 0; left = deadlineNanos - System.nanoTime()) {
      LockSupport.parkNanos(left);
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
    }
  }

  /** Runs the simulated model: used by the sync endpoint and by async tasks. */
  ChatCompletion generate(Admitted a) {
    SplittableRandom replyRandom = a.random().split();
    ReplyPlan plan = ReplyPlan.plan(a.request(), config, replyRandom);
    SpeechSlice replySpeech = speech.slice(plan.audioFrames(), replyRandom.split());
    // Version-4 layout like the service's audio ids, but drawn from the seeded random.
    UUID audioId =
        new UUID(
            (replyRandom.nextLong() & ~0xF000L) | 0x4000L,
            (replyRandom.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L);
    return new ChatCompletion(
        a.id(),
        clock.instant().getEpochSecond(),
        config.model(),
        a.requestId(),
        plan,
        replySpeech,
        config.replyAudioForm(),
        audioId.toString(),
        a.request().promptTokens());
  }

  /** Screening for the async endpoint: same checks, no injected transport faults. */
  Admitted screenForAsync(HttpExchange exchange) throws ServiceErrorException, IOException {
    Admitted a = screen(exchange);
    return new Admitted(a.request(), a.id(), a.requestId(), a.random(), null);
  }

  void sendError(HttpExchange exchange, ServiceErrorException e, boolean concurrencyCap) throws IOException {
    stats.error(e.code(), concurrencyCap);
    ResponseWriter.error(exchange, e);
  }

  void authenticate(HttpExchange exchange) throws ServiceErrorException {
    auth.authenticate(exchange.getRequestHeaders().getFirst("Authorization"));
  }

  /** {@code X-rN} (a retry suffix, N >= 2) is attempt N of request {@code X}; other ids are their own base. */
  static String baseRequestId(String requestId) {
    java.util.regex.Matcher m = RETRY_SUFFIX.matcher(requestId);
    return m.matches() ? m.group(1) : requestId;
  }

  private static final java.util.regex.Pattern RETRY_SUFFIX = java.util.regex.Pattern.compile("(.+)-r([2-9]|[1-9][0-9]+)");

  /** Like the service's ids: Beijing time to the millisecond, then 13 hex digits. */
  private String newId(SplittableRandom random) {
    String time = ID_TIME.format(Instant.ofEpochMilli(clock.millis()));
    String hex = Long.toHexString(random.nextLong() & 0xFFFFFFFFFFFFFL); // 52 bits
    return time + "0".repeat(13 - hex.length()) + hex;
  }
}
