package io.glmvoicebatch.api;

/** Account tiers and their documented glm-4-voice cap on requests in flight. */
public enum Tier {
  V0(5),
  V1(10),
  V2(15),
  V3(20);

  private final int maxInFlight;

  Tier(int maxInFlight) {
    this.maxInFlight = maxInFlight;
  }

  public int maxInFlight() {
    return maxInFlight;
  }
}
