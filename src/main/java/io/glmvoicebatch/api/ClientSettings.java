package io.glmvoicebatch.api;

import java.io.Serializable;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Objects;
import okhttp3.HttpUrl;

/**
 * Everything a {@link GlmVoiceClient} needs. Immutable, serializable (Beam ships it to workers inside the
 * batch runtime's spec, which makes one client per batch and JVM from it), with value equality.
 * {@link #toString()} never shows the key.
 */
public final class ClientSettings implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final String DEFAULT_ENDPOINT = "https://open.bigmodel.cn/api/paas/v4";
  /** Appended to the endpoint for every call. */
  public static final String CHAT_COMPLETIONS_PATH = "/chat/completions";
  /** Official SDK defaults. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(8);
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(300);
  public static final Duration DEFAULT_ITEM_DEADLINE = Duration.ofMinutes(15);
  /** [I] Multiplicative decrease of our limit on each 1302 window. */
  public static final double DEFAULT_ADAPTIVE_DECREASE_FACTOR = 0.75;
  /** [I] Minimum time after a limit change before probing one request higher. */
  public static final Duration DEFAULT_ADAPTIVE_PROBE_INTERVAL = Duration.ofSeconds(10);
  /** submit() blocks while more than this many times maxInFlight items wait for a permit. */
  public static final int DEFAULT_QUEUE_FACTOR = 2;
  /**
   * 128 MiB. The largest real reply: 10 minutes of reply audio as s16le mono 44.1 kHz PCM is 52,920,000
   * bytes, 70,560,000 as base64 (67.3 MiB) plus a few KB of JSON; the 4K-token output limit allows
   * about 328 s (38.5 MB of base64). So the default is 1.9 times the 10-minute reply.
   */
  public static final long DEFAULT_MAX_REPLY_BYTES = 128L * 1024 * 1024;
  /**
   * [I] How long the service may keep counting a request against the cap after it was sent, when we gave
   * up on it first (a timeout): not published; twice the official SDK's 300 s read timeout.
   */
  public static final Duration DEFAULT_SERVICE_MAX_REQUEST_TIME = Duration.ofSeconds(600);
  /** Attempts in a row, across items, without any HTTP answer before sending stops (0: never). */
  public static final int DEFAULT_MAX_CONSECUTIVE_CONNECTION_FAILURES = 20;
  /** [I] Reply audio shorter than this is not a spoken answer (a word is about 0.3 s). */
  public static final Duration DEFAULT_MIN_REPLY_AUDIO = Duration.ofMillis(100);

  private final String endpoint;
  private final ApiCredentials credentials;
  private final int maxInFlight;
  private final boolean adaptiveConcurrency;
  private final double adaptiveDecreaseFactor;
  private final Duration adaptiveProbeInterval;
  private final RetryPolicy retryPolicy;
  private final Duration connectTimeout;
  private final Duration readTimeout;
  private final Duration itemDeadline;
  private final RawPcmFormat rawReplyFormat;
  private final boolean allowInsecureEndpoint;
  private final int queueFactor;
  private final long maxReplyBytes;
  private final Duration serviceMaxRequestTime;
  private final int maxConsecutiveConnectionFailures;
  private final Duration minReplyAudio;
  private final SendSlots sendSlots;

  private ClientSettings(Builder b) {
    this.endpoint = b.endpoint;
    this.credentials = b.credentials;
    this.maxInFlight = b.maxInFlight;
    this.adaptiveConcurrency = b.adaptiveConcurrency;
    this.adaptiveDecreaseFactor = b.adaptiveDecreaseFactor;
    this.adaptiveProbeInterval = b.adaptiveProbeInterval;
    this.retryPolicy = b.retryPolicy;
    this.connectTimeout = b.connectTimeout;
    this.readTimeout = b.readTimeout;
    this.itemDeadline = b.itemDeadline;
    this.rawReplyFormat = b.rawReplyFormat;
    this.allowInsecureEndpoint = b.allowInsecureEndpoint;
    this.queueFactor = b.queueFactor;
    this.maxReplyBytes = b.maxReplyBytes;
    this.serviceMaxRequestTime = b.serviceMaxRequestTime;
    this.maxConsecutiveConnectionFailures = b.maxConsecutiveConnectionFailures;
    this.minReplyAudio = b.minReplyAudio;
    this.sendSlots = b.sendSlots;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.endpoint = endpoint;
    b.credentials = credentials;
    b.maxInFlight = maxInFlight;
    b.adaptiveConcurrency = adaptiveConcurrency;
    b.adaptiveDecreaseFactor = adaptiveDecreaseFactor;
    b.adaptiveProbeInterval = adaptiveProbeInterval;
    b.retryPolicy = retryPolicy;
    b.connectTimeout = connectTimeout;
    b.readTimeout = readTimeout;
    b.itemDeadline = itemDeadline;
    b.rawReplyFormat = rawReplyFormat;
    b.allowInsecureEndpoint = allowInsecureEndpoint;
    b.queueFactor = queueFactor;
    b.maxReplyBytes = maxReplyBytes;
    b.serviceMaxRequestTime = serviceMaxRequestTime;
    b.maxConsecutiveConnectionFailures = maxConsecutiveConnectionFailures;
    b.minReplyAudio = minReplyAudio;
    b.sendSlots = sendSlots;
    return b;
  }

  /** Base URL without trailing slash, e.g. https://open.bigmodel.cn/api/paas/v4. */
  public String endpoint() {
    return endpoint;
  }

  public String chatCompletionsUrl() {
    return endpoint + CHAT_COMPLETIONS_PATH;
  }

  public ApiCredentials credentials() {
    return credentials;
  }

  /** Our hard cap on requests in flight, retries included; normally the account tier's cap. */
  public int maxInFlight() {
    return maxInFlight;
  }

  /** Lower our limit on 1302 (someone else shares the key) and probe back up; never above maxInFlight. */
  public boolean adaptiveConcurrency() {
    return adaptiveConcurrency;
  }

  public double adaptiveDecreaseFactor() {
    return adaptiveDecreaseFactor;
  }

  public Duration adaptiveProbeInterval() {
    return adaptiveProbeInterval;
  }

  public RetryPolicy retryPolicy() {
    return retryPolicy;
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  public Duration readTimeout() {
    return readTimeout;
  }

  /** Per-attempt OkHttp call timeout: read + connect. */
  public Duration callTimeout() {
    return readTimeout.plus(connectTimeout);
  }

  /** Per item, from its first attempt: no retry starts after it and a running attempt is cut at it. */
  public Duration itemDeadline() {
    return itemDeadline;
  }

  public RawPcmFormat rawReplyFormat() {
    return rawReplyFormat;
  }

  public boolean allowInsecureEndpoint() {
    return allowInsecureEndpoint;
  }

  public int queueFactor() {
    return queueFactor;
  }

  /** A 2xx reply body declaring or sending more bytes than this is the item's error, read no further. */
  public long maxReplyBytes() {
    return maxReplyBytes;
  }

  /**
   * After a timeout, the attempt's permit is kept until this long after it was sent: the service may
   * still be counting the request against the account's cap though we closed the connection.
   */
  public Duration serviceMaxRequestTime() {
    return serviceMaxRequestTime;
  }

  /** Attempts in a row, across items, with no HTTP answer (refused, reset, timed out) that stop sending; 0 never. */
  public int maxConsecutiveConnectionFailures() {
    return maxConsecutiveConnectionFailures;
  }

  /** Reply audio shorter than this is a bad reply, not ok. */
  public Duration minReplyAudio() {
    return minReplyAudio;
  }

  /** Slots shared with other JVMs that every attempt also holds (a cluster); null for none. */
  public SendSlots sendSlots() {
    return sendSlots;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClientSettings s
        && s.endpoint.equals(endpoint)
        && s.credentials.equals(credentials)
        && s.maxInFlight == maxInFlight
        && s.adaptiveConcurrency == adaptiveConcurrency
        && s.adaptiveDecreaseFactor == adaptiveDecreaseFactor
        && s.adaptiveProbeInterval.equals(adaptiveProbeInterval)
        && s.retryPolicy.equals(retryPolicy)
        && s.connectTimeout.equals(connectTimeout)
        && s.readTimeout.equals(readTimeout)
        && s.itemDeadline.equals(itemDeadline)
        && s.rawReplyFormat.equals(rawReplyFormat)
        && s.allowInsecureEndpoint == allowInsecureEndpoint
        && s.queueFactor == queueFactor
        && s.maxReplyBytes == maxReplyBytes
        && s.serviceMaxRequestTime.equals(serviceMaxRequestTime)
        && s.maxConsecutiveConnectionFailures == maxConsecutiveConnectionFailures
        && s.minReplyAudio.equals(minReplyAudio)
        && Objects.equals(s.sendSlots, sendSlots);
  }

  @Override
  public int hashCode() {
    return Objects.hash(endpoint, credentials, maxInFlight, adaptiveConcurrency, adaptiveDecreaseFactor,
        adaptiveProbeInterval, retryPolicy, connectTimeout, readTimeout, itemDeadline, rawReplyFormat,
        allowInsecureEndpoint, queueFactor, maxReplyBytes, serviceMaxRequestTime, maxConsecutiveConnectionFailures,
        minReplyAudio, sendSlots);
  }

  @Override
  public String toString() {
    return "ClientSettings[endpoint=" + endpoint + ", credentials=" + credentials + ", maxInFlight=" + maxInFlight
        + ", adaptive=" + adaptiveConcurrency + " (x" + adaptiveDecreaseFactor + ", probe " + adaptiveProbeInterval
        + "), " + retryPolicy + ", connect=" + connectTimeout + ", read=" + readTimeout + ", deadline="
        + itemDeadline + ", rawReply=" + rawReplyFormat + ", insecureOk=" + allowInsecureEndpoint
        + ", queueFactor=" + queueFactor + ", maxReplyBytes=" + maxReplyBytes + ", serviceMax="
        + serviceMaxRequestTime + ", maxConsecutiveConnectionFailures=" + maxConsecutiveConnectionFailures
        + ", minReplyAudio=" + minReplyAudio + (sendSlots == null ? "" : ", sendSlots=" + sendSlots) + "]";
  }

  public static final class Builder {
    private String endpoint = DEFAULT_ENDPOINT;
    private ApiCredentials credentials;
    private int maxInFlight = Tier.V0.maxInFlight();
    private boolean adaptiveConcurrency = true;
    private double adaptiveDecreaseFactor = DEFAULT_ADAPTIVE_DECREASE_FACTOR;
    private Duration adaptiveProbeInterval = DEFAULT_ADAPTIVE_PROBE_INTERVAL;
    private RetryPolicy retryPolicy = RetryPolicy.defaults();
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration readTimeout = DEFAULT_READ_TIMEOUT;
    private Duration itemDeadline = DEFAULT_ITEM_DEADLINE;
    private RawPcmFormat rawReplyFormat = RawPcmFormat.S16LE_MONO_44100;
    private boolean allowInsecureEndpoint;
    private int queueFactor = DEFAULT_QUEUE_FACTOR;
    private long maxReplyBytes = DEFAULT_MAX_REPLY_BYTES;
    private Duration serviceMaxRequestTime = DEFAULT_SERVICE_MAX_REQUEST_TIME;
    private int maxConsecutiveConnectionFailures = DEFAULT_MAX_CONSECUTIVE_CONNECTION_FAILURES;
    private Duration minReplyAudio = DEFAULT_MIN_REPLY_AUDIO;
    private SendSlots sendSlots;

    private Builder() {}

    public Builder endpoint(String endpoint) {
      Objects.requireNonNull(endpoint, "endpoint");
      String e = endpoint.trim();
      while (e.endsWith("/")) {
        e = e.substring(0, e.length() - 1);
      }
      this.endpoint = e;
      return this;
    }

    public Builder credentials(ApiCredentials credentials) {
      this.credentials = Objects.requireNonNull(credentials, "credentials");
      return this;
    }

    public Builder maxInFlight(int maxInFlight) {
      if (maxInFlight < 1 || maxInFlight > 1000) {
        throw new IllegalArgumentException("maxInFlight must be 1..1000: " + maxInFlight);
      }
      this.maxInFlight = maxInFlight;
      return this;
    }

    public Builder tier(Tier tier) {
      return maxInFlight(tier.maxInFlight());
    }

    public Builder adaptiveConcurrency(boolean adaptive) {
      this.adaptiveConcurrency = adaptive;
      return this;
    }

    public Builder adaptiveDecreaseFactor(double factor) {
      if (!(factor > 0.0 && factor < 1.0)) {
        throw new IllegalArgumentException("adaptiveDecreaseFactor must be in (0, 1): " + factor);
      }
      this.adaptiveDecreaseFactor = factor;
      return this;
    }

    public Builder adaptiveProbeInterval(Duration interval) {
      this.adaptiveProbeInterval = nonNegative(interval, "adaptiveProbeInterval");
      return this;
    }

    public Builder retryPolicy(RetryPolicy retryPolicy) {
      this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
      return this;
    }

    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout, "connectTimeout");
      return this;
    }

    public Builder readTimeout(Duration timeout) {
      this.readTimeout = positive(timeout, "readTimeout");
      return this;
    }

    public Builder itemDeadline(Duration deadline) {
      this.itemDeadline = positive(deadline, "itemDeadline");
      return this;
    }

    public Builder rawReplyFormat(RawPcmFormat format) {
      this.rawReplyFormat = Objects.requireNonNull(format, "rawReplyFormat");
      return this;
    }

    /** Allow plain http to a non-loopback host (the key then travels unencrypted). */
    public Builder allowInsecureEndpoint(boolean allow) {
      this.allowInsecureEndpoint = allow;
      return this;
    }

    public Builder queueFactor(int factor) {
      if (factor < 1 || factor > 100) {
        throw new IllegalArgumentException("queueFactor must be 1..100: " + factor);
      }
      this.queueFactor = factor;
      return this;
    }

    public Builder maxReplyBytes(long bytes) {
      if (bytes < 1024 || bytes > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("maxReplyBytes must be 1024.." + (Integer.MAX_VALUE - 8) + ": " + bytes);
      }
      this.maxReplyBytes = bytes;
      return this;
    }

    public Builder serviceMaxRequestTime(Duration time) {
      this.serviceMaxRequestTime = nonNegative(time, "serviceMaxRequestTime");
      return this;
    }

    public Builder maxConsecutiveConnectionFailures(int failures) {
      if (failures < 0) {
        throw new IllegalArgumentException("maxConsecutiveConnectionFailures must be >= 0 (0: never stop): " + failures);
      }
      this.maxConsecutiveConnectionFailures = failures;
      return this;
    }

    public Builder minReplyAudio(Duration min) {
      this.minReplyAudio = nonNegative(min, "minReplyAudio");
      return this;
    }

    /** Slots shared with other JVMs that every attempt also holds; null (the default) for none. */
    public Builder sendSlots(SendSlots slots) {
      this.sendSlots = slots;
      return this;
    }

    public ClientSettings build() {
      if (credentials == null) {
        throw new IllegalStateException("credentials are required");
      }
      HttpUrl url = HttpUrl.parse(endpoint);
      if (url == null) {
        throw new IllegalArgumentException("endpoint is not an http(s) URL: " + endpoint);
      }
      if (!url.username().isEmpty() || !url.password().isEmpty() || url.query() != null) {
        throw new IllegalArgumentException("endpoint must not carry user info or a query: give the key via credentials");
      }
      if (!url.isHttps() && !allowInsecureEndpoint && !isLoopback(url.host())) {
        throw new IllegalArgumentException("endpoint " + endpoint + " uses plain http to non-loopback host "
            + url.host() + ": the API key would travel unencrypted. Use https, or set allowInsecureEndpoint(true).");
      }
      return new ClientSettings(this);
    }

    private static boolean isLoopback(String host) {
      if (host.equalsIgnoreCase("localhost")) {
        return true;
      }
      // Only literal addresses: resolving a name here would be a DNS lookup at configuration time.
      if (!host.matches("[0-9.]+") && !host.contains(":")) {
        return false;
      }
      try {
        return InetAddress.getByName(host).isLoopbackAddress();
      } catch (UnknownHostException e) {
        return false;
      }
    }

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive: " + d);
      }
      return d;
    }

    private static Duration nonNegative(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative()) {
        throw new IllegalArgumentException(name + " is negative: " + d);
      }
      return d;
    }
  }
}
