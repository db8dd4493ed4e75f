package io.glmvoicebatch.api;

/** How the API key is presented in the Authorization header. */
public enum AuthMode {
  /** {@code Bearer <id>.<secret>}, what the current official SDKs send. */
  RAW_KEY,
  /** {@code Bearer <HS256 JWT>} signed with the secret half of the key, cached and renewed. */
  JWT
}
