package io.glmvoicebatch.simulator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;

/** Checks the Authorization header: "Bearer &lt;raw key&gt;" or "Bearer &lt;JWT&gt;". */
final class BearerAuthenticator {
  private static final String PREFIX = "Bearer ";

  private final String apiKey; // null: accept any non-empty token
  private final JwtVerifier jwt;

  BearerAuthenticator(String apiKey, Clock clock) {
    this.apiKey = apiKey;
    if (apiKey == null) {
      this.jwt = null;
    } else {
      int dot = apiKey.indexOf('.');
      this.jwt = new JwtVerifier(apiKey.substring(0, dot), apiKey.substring(dot + 1), clock);
    }
  }

  void authenticate(String authorizationHeader) throws ServiceErrorException {
    // "Bearer" with nothing after it (HTTP stacks trim the trailing space) is a missing token too.
    if (authorizationHeader == null
        || authorizationHeader.isBlank()
        || authorizationHeader.trim().equalsIgnoreCase(PREFIX.trim())) {
      throw ServiceErrorException.authHeaderMissing();
    }
    if (!authorizationHeader.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      throw ServiceErrorException.authFailed();
    }
    String token = authorizationHeader.substring(PREFIX.length()).trim();
    if (token.isEmpty()) {
      throw ServiceErrorException.authHeaderMissing();
    }
    if (apiKey == null) {
      return;
    }
    if (MessageDigest.isEqual(
        token.getBytes(StandardCharsets.UTF_8), apiKey.getBytes(StandardCharsets.UTF_8))) {
      return;
    }
    if (JwtVerifier.looksLikeJwt(token)) {
      jwt.verify(token);
      return;
    }
    throw ServiceErrorException.authFailed();
  }
}
