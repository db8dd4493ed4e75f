package io.glmvoicebatch.simulator;

/** The ways the simulated service can misbehave; each maps to one documented or observed failure. */
public enum FaultKind {
  /** HTTP 500, error code "500"; not billed. Sent after the latency sleep. */
  SERVER_500,
  /** HTTP 429, error code 1305 (service overloaded); not billed. Sent at admission. */
  OVERLOADED_1305,
  /** HTTP 429, error code 1302 for this request and the next {@code burstLength - 1}; not billed. */
  CONCURRENCY_1302_BURST,
  /** 200 headers and part of the body, then the connection is closed. Billed: the work was done. */
  DROP_CONNECTION_MID_BODY,
  /** A gateway's text/html 502 page instead of JSON; not billed. Sent after the latency sleep. */
  HTML_502,
  /** A correct 200 reply whose body trickles out slowly; billed. */
  SLOW_TRICKLE,
  /** HTTP 401, error code 1000, even with a good key; not billed. */
  UNAUTHORIZED_401,
  /** HTTP 429, error code 1113 (arrears). Triggered by {@link FaultPlan.Builder#arrearsAfterTokens}. */
  ARREARS_1113_AFTER_TOKENS,
  /** HTTP 400, error code 1301 when prompt text contains the marker. See {@link FaultPlan.Builder#sensitiveMarker}. */
  SENSITIVE_1301_ON_MARKER,
  /** 200 reply without the {@code usage} object; billed. */
  MISSING_USAGE,
  /** 200 reply whose message has no {@code audio} object; billed. */
  NO_AUDIO,
  /** 200 reply whose {@code audio.data} is not valid base64; billed. */
  BAD_BASE64;

  /** True for faults that answer with a well-formed 200 the client must still reject or handle. */
  boolean isMalformedSuccess() {
    return this == MISSING_USAGE || this == NO_AUDIO || this == BAD_BASE64;
  }
}
