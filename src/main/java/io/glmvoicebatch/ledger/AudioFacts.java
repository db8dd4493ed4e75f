package io.glmvoicebatch.ledger;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.Serializable;

/** What the input file was, as decoded: recorded so a user can see why an item cost what it did. */
public record AudioFacts(
    @JsonProperty("sample_rate") int sampleRate,
    @JsonProperty("channels") int channels,
    @JsonProperty("encoding") String encoding,
    @JsonProperty("seconds") double seconds)
    implements Serializable {}
