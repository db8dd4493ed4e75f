package io.glmvoicebatch.api;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.EventListener;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends {@link ChatRequest}s to the chat-completions endpoint with at most {@link
 * ClientSettings#maxInFlight()} requests in flight (retries included), retrying transient faults and
 * stopping everything on auth or balance failures. All I/O is asynchronous: callers get a future, and
 * only block in {@link #submit} while the queue of waiting items is full.
 *
 * <p>Once a request has been sent, an attempt without a usable reply (a timeout, a dropped or dripping
 * or oversized or unreadable 2xx) is {@linkplain ApiError#uncertain() uncertain}: the service may have
 * billed it, so it is never retried here. An attempt our timeout cut (before or during the reply) keeps
 * its permit until {@link ClientSettings#serviceMaxRequestTime()} after it was sent, since the service
 * may still be counting it against the cap. {@link ClientSettings#maxConsecutiveConnectionFailures()}
 * attempts in a row without any HTTP answer stop the batch ({@link ApiError#SERVICE_UNREACHABLE}).
 */
public final class GlmVoiceClient implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GlmVoiceClient.class);

  private final ClientSettings settings;
  private final HttpUrl url;
  private final OkHttpClient http;
  private final ScheduledThreadPoolExecutor scheduler;
  private final InFlightLimiter limiter;
  /** Slots shared with the cluster's other JVMs, or null (one JVM: the limiter alone holds the cap). */
  private final SendSlots slots;
  private final ReplyParser parser;
  private final ApiCredentials credentials;
  private final RetryPolicy policy;
  private final long callTimeoutNanos;
  private final Set<Item> live = ConcurrentHashMap.newKeySet();
  /** Attempts in a row, across items, that got no HTTP answer; any answer resets it. */
  private final AtomicInteger unanswered = new AtomicInteger();

  private volatile ApiError stopCause;
  private volatile ApiError stoppedError;
  private volatile boolean closed;

  private GlmVoiceClient(ClientSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.url = HttpUrl.get(settings.chatCompletionsUrl());
    this.credentials = settings.credentials();
    this.policy = settings.retryPolicy();
    this.callTimeoutNanos = settings.callTimeout().toNanos();
    int cap = settings.maxInFlight();
    this.limiter = new InFlightLimiter(cap, settings.adaptiveConcurrency(), settings.adaptiveDecreaseFactor(),
        settings.adaptiveProbeInterval().toNanos());
    this.slots = settings.sendSlots();
    this.parser = new ReplyParser(policy, credentials, new ReplyAudioDecoder(settings.rawReplyFormat(),
        settings.minReplyAudio().toNanos() / 1e9));

    // Our limiter does the capping; OkHttp's own limits must never be the bottleneck.
    Dispatcher dispatcher = new Dispatcher(new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
        new SynchronousQueue<>(), daemonThreads("glm-voice-http")));
    dispatcher.setMaxRequests(Math.max(64, cap * 4));
    dispatcher.setMaxRequestsPerHost(Math.max(64, cap * 4));
    this.http = new OkHttpClient.Builder()
        .dispatcher(dispatcher)
        .eventListenerFactory(call -> {
          Attempt a = call.request().tag(Attempt.class);
          return a == null ? EventListener.NONE : a.events;
        })
        .socketFactory(new NoDelaySocketFactory())
        .connectionPool(new ConnectionPool(Math.max(5, cap * 2), 5, TimeUnit.MINUTES))
        .connectTimeout(settings.connectTimeout())
        .readTimeout(settings.readTimeout())
        .writeTimeout(settings.readTimeout())
        .callTimeout(settings.callTimeout())
        // A silent OkHttp re-send would bypass our attempt ids, accounting and backoff.
        .retryOnConnectionFailure(false)
        .build();
    this.scheduler = new ScheduledThreadPoolExecutor(1, daemonThreads("glm-voice-retry"));
    this.scheduler.setRemoveOnCancelPolicy(true);
  }

  /**
   * A client with its own in-flight limit. A batch shares one per JVM, so every Beam DoFn instance and
   * thread is held to the same cap: the batch's runtime ({@code pipeline.BatchRuntime}) owns it.
   */
  public static GlmVoiceClient create(ClientSettings settings) {
    return new GlmVoiceClient(settings);
  }

  public ClientSettings settings() {
    return settings;
  }

  /** The sockets this client's connections are opened with (NoDelaySocketFactoryTest checks them). */
  javax.net.SocketFactory socketFactory() {
    return http.socketFactory();
  }

  /**
   * Queues one item. Never throws for API problems: every failure is a {@link CallOutcome} with an
   * error. Blocks only while {@code queueFactor x maxInFlight} items already wait for a permit.
   */
  public CompletableFuture<CallOutcome> submit(ChatRequest request) {
    return submit(request, AttemptListener.NONE);
  }

  /** As {@link #submit(ChatRequest)}, telling {@code listener} before each attempt is sent. */
  public CompletableFuture<CallOutcome> submit(ChatRequest request, AttemptListener listener) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(listener, "listener");
    Item item = new Item(request, listener);
    if (closed) {
      finish(item, closedError());
      return item.future;
    }
    if (stoppedError != null) {
      finish(item, stoppedError);
      return item.future;
    }
    live.add(item);
    try {
      if (!limiter.enqueueFresh(item, settings.queueFactor() * settings.maxInFlight())) {
        finish(item, stoppedError != null ? stoppedError : closedError());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      finish(item, ApiError.of(ApiError.CLIENT_ERROR, 0, "interrupted while waiting for queue space", false, false));
    }
    return item.future;
  }

  /** Requests on the wire now (attempts holding a permit). */
  public int inFlight() {
    return limiter.inFlight();
  }

  /** The current limit: the cap, or less after 1302s when adaptive. */
  public int currentLimit() {
    return limiter.currentLimit();
  }

  /** Items waiting for a permit (new and retries). */
  public int queued() {
    return limiter.queued();
  }

  public boolean batchStopped() {
    return stopCause != null;
  }

  /** The error that stopped the batch (a 401 or 1113 answer, ...), null while running. */
  public ApiError stopReason() {
    return stopCause;
  }

  /**
   * Cancels calls still running, fails waiting items with {@code client_closed} and shuts the HTTP
   * dispatcher down. Callers should await their futures first.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    ApiError err = closedError();
    for (InFlightLimiter.Waiter w : limiter.shutdown()) {
      finish((Item) w, err);
    }
    for (Item item : new ArrayList<>(live)) {
      Call call = item.call;
      if (call != null) {
        call.cancel();
      }
      finish(item, err);
    }
    scheduler.shutdownNow();
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
    if (slots != null) {
      slots.close();
    }
  }

  /** "base" for attempt 1, then "base-r2", "base-r3"...; always within the 64-char request_id limit. */
  static String attemptRequestId(String base, int attempt) {
    if (attempt == 1) {
      return base;
    }
    String suffix = "-r" + attempt;
    if (base.length() + suffix.length() <= ChatRequest.MAX_REQUEST_ID) {
      return base + suffix;
    }
    // Keep a prefix plus a hash of the whole base, so long ids sharing a prefix stay distinct.
    String hash = String.format("%08x", base.hashCode());
    return base.substring(0, ChatRequest.MAX_REQUEST_ID - suffix.length() - 9) + "~" + hash + suffix;
  }

  private void startAttempt(Item item, long epoch) {
    if (closed || stoppedError != null) {
      releasePermit(item, InFlightLimiter.Signal.NEUTRAL, epoch);
      finish(item, closed ? closedError() : stoppedError);
      return;
    }
    long now = System.nanoTime();
    if (item.startedAt == null) {
      item.startedAt = Instant.now();
      item.deadlineNanos = now + settings.itemDeadline().toNanos();
    }
    long remaining = item.deadlineNanos - now;
    if (remaining <= 0) {
      releasePermit(item, InFlightLimiter.Signal.NEUTRAL, epoch);
      finish(item, deadlineError(item, "before attempt " + (item.ids.size() + 1)));
      return;
    }
    int attempt = item.ids.size() + 1;
    String attemptId = attemptRequestId(item.request.requestId(), attempt);
    Attempt tracked = new Attempt();
    Call call;
    try {
      String token = credentials.bearerToken(System.currentTimeMillis());
      item.tokenUsed = token;
      Request httpRequest = new Request.Builder()
          .url(url)
          .header("Authorization", "Bearer " + token)
          .post(new ChatRequestBody(item.request, attemptId))
          .tag(Attempt.class, tracked)
          .build();
      call = http.newCall(httpRequest);
      call.timeout().timeout(Math.min(callTimeoutNanos, remaining), TimeUnit.NANOSECONDS);
    } catch (RuntimeException e) {
      releasePermit(item, InFlightLimiter.Signal.NEUTRAL, epoch);
      finish(item, ApiError.of(ApiError.CLIENT_ERROR, 0,
          "cannot build request: " + credentials.redact(String.valueOf(e.getMessage())), false, false));
      return;
    }
    try {
      item.listener.sending(attemptId, attempt);
    } catch (RuntimeException e) {
      releasePermit(item, InFlightLimiter.Signal.NEUTRAL, epoch);
      finish(item, ApiError.of(ApiError.CLIENT_ERROR, 0,
          "not sent: the attempt could not be recorded first: " + credentials.redact(String.valueOf(e.getMessage())),
          false, false));
      return;
    }
    item.ids.add(attemptId);
    item.call = call;
    long sentAt = System.nanoTime();
    log.debug("item {} attempt {} sending as request_id {}", item.request.requestId(), attempt, attemptId);
    try {
      call.enqueue(new Callback() {
        @Override
        public void onFailure(Call c, IOException e) {
          // OkHttp has closed the connection by now; the service may still be working on a sent request.
          ApiError error = noAnswerError(item, tracked.sent, e);
          if (!closed) {
            countUnanswered(item, e);
          }
          boolean timedOut = tracked.sent && e instanceof InterruptedIOException;
          attemptDone(item, epoch, attempt, sentAt, 0, ReplyParser.Result.failed(error, null), false, timedOut);
        }

        @Override
        public void onResponse(Call c, Response response) {
          unanswered.set(0);
          ReplyParser.Result result;
          int status = response.code();
          boolean success = status >= 200 && status <= 299;
          boolean released = false;
          boolean cutByTimeout = false;
          try (response) {
            if (success && response.body() != null) {
              byte[] body = ReplyBodyReader.read(response.body(), settings.maxReplyBytes());
              // The whole reply is in, so the service no longer counts this request: free the slot
              // before the CPU work of decoding the audio, which holds no slot anywhere.
              item.lastLatencyMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sentAt);
              releasePermit(item, InFlightLimiter.Signal.SUCCESS, epoch);
              released = true;
              result = parser.parseSuccess(status, body, attemptId, ReplyParser.contentType(response));
            } else {
              result = parser.parse(response, attemptId);
            }
          } catch (IOException e) {
            cutByTimeout = e instanceof InterruptedIOException;
            result = ReplyParser.Result.failed(success ? replyBodyError(item, status, e)
                : transportError(item, e, status), null);
          } catch (RuntimeException | OutOfMemoryError e) {
            // Never let one reply leave its item unfinished (a hang): whatever it was, it ends here.
            String what = "cannot read reply: " + credentials.redact(String.valueOf(e));
            result = ReplyParser.Result.failed(success ? ApiError.uncertain(ApiError.BAD_REPLY, status, what)
                : ApiError.of(ApiError.BAD_REPLY, status, what, false, false), null);
          }
          // Cut by our own timeout mid-reply: the service notices only at its next write, so it may count
          // the request a while yet.
          attemptDone(item, epoch, attempt, sentAt, status, result, released, cutByTimeout);
        }
      });
    } catch (RejectedExecutionException e) {
      releasePermit(item, InFlightLimiter.Signal.NEUTRAL, epoch);
      finish(item, closedError());
    }
  }

  /**
   * An attempt that got no HTTP answer. Not sent (connect refused or timed out, the upload broken): a
   * transport error, retried per policy. Sent: the service may have it and bill it, so uncertain.
   */
  private ApiError noAnswerError(Item item, boolean sent, IOException e) {
    String mayBeBilled = "; the request was sent, so the service may have billed it";
    if (!sent) {
      return transportError(item, e, 0);
    }
    String detail = detail(e);
    if (closed) {
      return ApiError.uncertain(ApiError.CLIENT_CLOSED, 0, "client closed while attempt " + item.ids.size()
          + " awaited its answer" + mayBeBilled);
    }
    if (e instanceof InterruptedIOException) {
      if (System.nanoTime() - item.deadlineNanos >= 0) {
        return ApiError.uncertain(ApiError.DEADLINE_EXCEEDED, 0, "item deadline of "
            + settings.itemDeadline().toSeconds() + " s passed while waiting for an answer to attempt "
            + item.ids.size() + " (" + detail + ")" + mayBeBilled);
      }
      return ApiError.uncertain(ApiError.TIMEOUT, 0, "no answer within the read timeout of "
          + settings.readTimeout().toSeconds() + " s (" + detail + ")" + mayBeBilled);
    }
    return ApiError.uncertain(ApiError.CONNECTION_RESET, 0, "the connection broke before any answer ("
        + detail + ")" + mayBeBilled);
  }

  /** A 2xx reply whose body could not be read whole: the service answered, so it may have billed it. */
  private ApiError replyBodyError(Item item, int status, IOException e) {
    String mayBeBilled = "; the service may have billed it";
    if (closed) {
      return ApiError.uncertain(ApiError.CLIENT_CLOSED, status, "client closed while the reply was arriving"
          + mayBeBilled);
    }
    if (e instanceof ReplyBodyReader.TooLargeException) {
      return ApiError.uncertain(ApiError.REPLY_TOO_LARGE, status, "HTTP " + status + " " + e.getMessage()
          + mayBeBilled);
    }
    if (e instanceof InterruptedIOException) {
      boolean deadline = System.nanoTime() - item.deadlineNanos >= 0;
      return ApiError.uncertain(deadline ? ApiError.DEADLINE_EXCEEDED : ApiError.TIMEOUT, status, "HTTP " + status
          + " reply body still incomplete when the " + (deadline ? "item deadline of "
          + settings.itemDeadline().toSeconds() + " s" : "attempt's time") + " ran out (" + detail(e) + ")"
          + mayBeBilled);
    }
    return ApiError.uncertain(ApiError.CONNECTION_RESET, status, "HTTP " + status + " reply body cut off ("
        + detail(e) + ")" + mayBeBilled);
  }

  private String detail(IOException e) {
    return e.getClass().getSimpleName() + ": " + credentials.redact(String.valueOf(e.getMessage()));
  }

  /**
   * Counts an attempt without any HTTP answer; enough of them in a row stop the batch. The reason names the
   * limit, not this thread's count: with several attempts in flight another thread may count past it first.
   */
  private void countUnanswered(Item item, IOException e) {
    int n = unanswered.incrementAndGet();
    int max = settings.maxConsecutiveConnectionFailures();
    if (max > 0 && n >= max) {
      stopBatch(ApiError.of(ApiError.SERVICE_UNREACHABLE, 0, "the service at " + url.host() + ":" + url.port()
          + " gave no answer to " + max + " attempts in a row across items (last: " + detail(e) + "); check "
          + "--endpoint and the network (--maxConsecutiveConnectionFailures=" + max + ")", false, true), item);
    }
  }

  private ApiError transportError(Item item, IOException e, int status) {
    String detail = detail(e);
    if (closed) {
      return closedError();
    }
    if (e instanceof InterruptedIOException) { // before the request was sent: connect or write timeouts
      if (System.nanoTime() - item.deadlineNanos >= 0) {
        return deadlineError(item, "during attempt " + item.ids.size());
      }
      return ApiError.of(ApiError.TIMEOUT, status, "attempt timed out (" + detail + ")", policy.retryTimeouts(), false);
    }
    return ApiError.of(ApiError.CONNECTION_RESET, status, "connection failed (" + detail + ")",
        policy.retryConnectionFailures(), false);
  }

  /**
   * {@code permitReleased}: a 2xx reply whose bytes were all in gave its permit back before parsing.
   * {@code timedOut}: our timeout cut a sent request (before or during its reply), so the service may still
   * be working on it and counting it: its permit is kept until the service's maximum time has passed.
   */
  private void attemptDone(Item item, long epoch, int attempt, long sentAt, int status, ReplyParser.Result result,
      boolean permitReleased, boolean timedOut) {
    if (!permitReleased) {
      item.lastLatencyMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sentAt);
    }
    if (result.usage != null) {
      item.addUsage(result.usage);
    }
    ApiError error = result.error;
    InFlightLimiter.Signal signal = result.reply != null ? InFlightLimiter.Signal.SUCCESS
        : "1302".equals(error.code()) ? InFlightLimiter.Signal.CONCURRENCY_EXCEEDED : InFlightLimiter.Signal.NEUTRAL;
    boolean renewToken = error != null && "1003".equals(error.code()) && credentials.mode() == AuthMode.JWT
        && !item.renewedToken && attempt < policy.maxAttempts();
    if (error != null && error.stopsBatch() && !renewToken) {
      stopBatch(error, item); // before the permit goes back, so no queued item slips out
    }
    // The permit goes back before any backoff: a waiting attempt holds no slot.
    if (!permitReleased) {
      long holdNanos = timedOut ? sentAt + settings.serviceMaxRequestTime().toNanos() - System.nanoTime() : 0;
      if (holdNanos > 0) {
        holdPermit(item, signal, epoch, holdNanos);
      } else {
        releasePermit(item, signal, epoch);
      }
    }
    if (log.isDebugEnabled()) {
      log.debug("item {} attempt {} -> HTTP {} {} in {} ms (limit {}, in flight {})", item.request.requestId(),
          attempt, status, error == null ? "ok" : error.code(), item.lastLatencyMillis, limiter.currentLimit(),
          limiter.inFlight());
    }
    if (result.reply != null) {
      finish(item, result.reply);
      return;
    }
    if (item.future.isDone()) {
      return;
    }
    if (renewToken) {
      // Expired token: renew once (other items may have renewed it already) and go again at once.
      item.renewedToken = true;
      credentials.invalidate(item.tokenUsed);
      scheduleRetry(item, 0);
      return;
    }
    if (error.stopsBatch()) {
      finish(item, error);
      return;
    }
    if (!error.retryable() || attempt >= policy.maxAttempts()) {
      finish(item, error);
      return;
    }
    long delayMillis = policy.backoffMillis(attempt, error.code());
    if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMillis) - item.deadlineNanos >= 0) {
      finish(item, deadlineError(item, "after attempt " + attempt + " failed with " + error.code() + ": "
          + error.message()));
      return;
    }
    item.lastError = error;
    scheduleRetry(item, delayMillis);
  }

  private void holdPermit(Item item, InFlightLimiter.Signal signal, long epoch, long nanos) {
    SendSlots.Slot slot = item.takeSlot(); // held with the permit: the item is finished, the slot is not
    try {
      scheduler.schedule(() -> releasePermit(slot, signal, epoch), nanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closing) {
      releasePermit(slot, signal, epoch);
    }
  }

  /** An attempt's permit back to the limiter, and its cluster slot (if any) first, so a waiter granted now finds it. */
  private void releasePermit(Item item, InFlightLimiter.Signal signal, long epoch) {
    releasePermit(item.takeSlot(), signal, epoch);
  }

  private void releasePermit(SendSlots.Slot slot, InFlightLimiter.Signal signal, long epoch) {
    if (slot != null) {
      slot.release();
    }
    limiter.release(signal, epoch);
  }

  /**
   * With cluster slots, a granted permit also needs one of them before the attempt starts. None free: the
   * permit is kept and the slot tried again after the poll interval (on the scheduler, so no thread waits).
   */
  private void takeSlotThenStart(Item item, long epoch) {
    if (closed || stoppedError != null) {
      startAttempt(item, epoch); // it gives the permit back and finishes the item
      return;
    }
    SendSlots.Slot slot;
    try {
      slot = slots.tryTake();
    } catch (RuntimeException e) {
      releasePermit(item, InFlightLimiter.Signal.NEUTRAL, epoch);
      finish(item, ApiError.of(ApiError.CLIENT_ERROR, 0, "not sent: no cluster slot could be taken: "
          + credentials.redact(String.valueOf(e.getMessage())), false, false));
      return;
    }
    if (slot != null) {
      item.slot = slot;
      startAttempt(item, epoch);
      return;
    }
    try {
      scheduler.schedule(() -> takeSlotThenStart(item, epoch), slots.pollInterval().toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closing) {
      releasePermit(item, InFlightLimiter.Signal.NEUTRAL, epoch);
      finish(item, closedError());
    }
  }

  private void scheduleRetry(Item item, long delayMillis) {
    Runnable requeue = () -> {
      if (stoppedError != null) {
        finish(item, stoppedError);
      } else if (!limiter.enqueueRetry(item)) {
        finish(item, stoppedError != null ? stoppedError : closedError());
      }
    };
    try {
      scheduler.schedule(requeue, delayMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      finish(item, closedError());
    }
  }

  private void stopBatch(ApiError cause, Item item) {
    synchronized (this) {
      if (stopCause != null) {
        return;
      }
      stoppedError = ApiError.of(ApiError.BATCH_STOPPED, 0, ApiError.SERVICE_UNREACHABLE.equals(cause.code())
          ? "batch stopped: " + cause.message()
          : "batch stopped: service answered " + describe(cause) + " on item " + item.request.requestId() + ": "
              + cause.message(), false, true);
      stopCause = cause;
    }
    log.warn("{}", stoppedError.message());
    for (InFlightLimiter.Waiter w : limiter.shutdown()) {
      finish((Item) w, stoppedError);
    }
  }

  private static String describe(ApiError e) {
    String meaning = switch (e.code()) {
      case "1113" -> "account in arrears: no balance or resource package";
      case "1000" -> "authentication failed";
      case "1001" -> "authentication header missing";
      case "1002" -> "invalid authentication token";
      case "1003" -> "authentication token expired";
      case "1004" -> "authentication token verification failed";
      case "1005" -> "two-factor authentication required";
      case "1110" -> "account inactive";
      case "1111" -> "account does not exist";
      case "1112", "1121" -> "account locked";
      case "1304" -> "daily call quota reached";
      default -> e.httpStatus() == 401 ? "authentication failed" : "a batch-stopping error";
    };
    return e.code() + " (HTTP " + e.httpStatus() + ", " + meaning + ")";
  }

  private ApiError deadlineError(Item item, String when) {
    Duration d = settings.itemDeadline();
    return ApiError.of(ApiError.DEADLINE_EXCEEDED, 0, "item deadline of " + d.toSeconds() + " s passed " + when
        + (item.lastError == null ? "" : "; last error " + item.lastError.code() + ": " + item.lastError.message()),
        false, false);
  }

  private static ApiError closedError() {
    return ApiError.of(ApiError.CLIENT_CLOSED, 0, "client closed before the item finished", false, false);
  }

  private void finish(Item item, ApiError error) {
    Instant now = Instant.now();
    Instant started = item.startedAt == null ? now : item.startedAt;
    item.future.complete(CallOutcome.failure(error, item.usage(), item.ids.snapshot(), started, now,
        item.lastLatencyMillis));
    live.remove(item);
  }

  private void finish(Item item, ChatReply reply) {
    Instant now = Instant.now();
    Instant started = item.startedAt == null ? now : item.startedAt;
    item.future.complete(CallOutcome.success(reply, item.usage(), item.ids.snapshot(), started, now, item.lastLatencyMillis));
    live.remove(item);
  }

  private static ThreadFactory daemonThreads(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** One attempt's progress on the wire, as OkHttp reports it. */
  private static final class Attempt {
    /** The whole request body was handed to the socket: from here on the service may bill it. */
    volatile boolean sent;
    final EventListener events = new EventListener() {
      @Override
      public void requestBodyEnd(Call call, long byteCount) {
        sent = true;
      }
    };
  }

  /** One item across its attempts. Attempts run one after another, so fields change under happens-before. */
  private final class Item implements InFlightLimiter.Waiter {
    final ChatRequest request;
    final AttemptListener listener;
    final CompletableFuture<CallOutcome> future = new CompletableFuture<>();
    final AttemptIds ids = new AttemptIds();
    volatile Instant startedAt;
    volatile long deadlineNanos;
    volatile long lastLatencyMillis;
    volatile Call call;
    volatile String tokenUsed;
    volatile boolean renewedToken;
    volatile ApiError lastError;
    /** Held from before the attempt is sent until its permit goes back. */
    volatile SendSlots.Slot slot;
    private Usage usage;

    Item(ChatRequest request, AttemptListener listener) {
      this.request = request;
      this.listener = listener;
    }

    @Override
    public void granted(long epoch) {
      if (slots == null) {
        startAttempt(this, epoch);
      } else {
        takeSlotThenStart(this, epoch);
      }
    }

    /** The cluster slot of the running attempt, handed over once (null without slots or when already given back). */
    SendSlots.Slot takeSlot() {
      SendSlots.Slot s = slot;
      slot = null;
      return s;
    }

    synchronized void addUsage(Usage u) {
      usage = usage == null ? u : Usage.of(usage.promptTokens() + u.promptTokens(),
          usage.completionTokens() + u.completionTokens(), usage.totalTokens() + u.totalTokens());
    }

    synchronized Usage usage() {
      return usage;
    }
  }

  private static final class AttemptIds {
    private final List<String> ids = new ArrayList<>(2);

    synchronized void add(String id) {
      ids.add(id);
    }

    synchronized int size() {
      return ids.size();
    }

    synchronized List<String> snapshot() {
      return List.copyOf(ids);
    }
  }
}
