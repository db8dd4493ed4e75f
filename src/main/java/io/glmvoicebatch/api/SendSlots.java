package io.glmvoicebatch.api;

import java.io.Serializable;
import java.time.Duration;

/**
 * Slots of the account's cap shared with other JVMs (the worker JVMs of a cluster). When set in
 * {@link ClientSettings#sendSlots()}, an attempt holds one slot as well as its JVM permit: taken after the
 * permit is granted and before the request is sent, given back when the permit is. The JVM's own limiter
 * (and its 1302 adaptivity) is unchanged; this only keeps the JVMs together within the cap.
 *
 * <p>Serializable with value equality: it travels inside {@link ClientSettings} to the workers, and its
 * per-JVM state lives in the copy the JVM's shared client holds.
 */
public interface SendSlots extends Serializable {
  /** A free slot taken for one attempt, or null when every slot is taken now. Never blocks. */
  Slot tryTake();

  /** How long to wait before {@link #tryTake()} again after it returned null. */
  Duration pollInterval();

  /** Gives back every slot this JVM still holds (the client closes). */
  void close();

  /** One taken slot; {@link #release()} is idempotent. */
  interface Slot {
    void release();
  }
}
