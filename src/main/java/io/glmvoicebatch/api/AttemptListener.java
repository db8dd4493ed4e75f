package io.glmvoicebatch.api;

/**
 * Told just before each attempt of an item goes on the wire, on the client's own thread. The batch writes
 * its intent line here, so a crash between send and reply leaves evidence naming the exact request_id.
 * If it throws, that attempt is not sent and the item fails with the exception's message.
 */
@FunctionalInterface
public interface AttemptListener {
  AttemptListener NONE = (requestId, attempt) -> { };

  void sending(String requestId, int attempt);
}
