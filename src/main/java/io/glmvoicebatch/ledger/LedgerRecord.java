package io.glmvoicebatch.ledger;

import io.glmvoicebatch.manifest.RequestParams;
import java.io.Serializable;
import java.util.function.UnaryOperator;

/**
 * One line of {@code ledger.jsonl}, typed. An id may appear on several lines (intent, retries of a re-run);
 * the last line is its state. The line's fields come in parts: where it sits in a split recording, the
 * input, the request's parameters, the call, tokens and cost, the reply and the error; none is null (a part
 * with nothing known has every field null). On disk it is one flat JSON object ({@link LedgerLine}, mapped
 * in {@link LedgerJson}); every path in it is relative to the output folder, so the folder can move.
 */
public record LedgerRecord(String id, LedgerStatus status, String reason, Integer manifestLine, SegmentPlace place,
    InputFacts input, RequestParams params, CallFacts call, UsageCost usage, ReplyFacts reply, LedgerError error)
    implements Serializable {

  /** The reason of an uncertain line written for what the previous run left in flight. */
  public static final String UNCERTAIN_REASON = "in flight when the previous run stopped: may have been billed";

  public LedgerRecord {
    status = status == null ? LedgerStatus.UNKNOWN : status;
    place = place == null ? SegmentPlace.WHOLE : place;
    input = input == null ? InputFacts.NONE : input;
    params = params == null ? RequestParams.NONE : params;
    call = call == null ? CallFacts.NONE : call;
    usage = usage == null ? UsageCost.NONE : usage;
    reply = reply == null ? ReplyFacts.NONE : reply;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder().id(id).status(status).reason(reason).manifestLine(manifestLine).place(place).input(input)
        .params(params).call(call).usage(usage).reply(reply).error(error);
  }

  /** The segment's index, or null for a line of a whole item. */
  public Integer segment() {
    return place.index();
  }

  /** How many segments the item was split into, or null when it was sent whole. */
  public Integer segments() {
    return place.count();
  }

  /** The line's ledger key: the id, or {@code id#segment} for a segment. */
  public String key() {
    return LedgerView.key(id, place.index());
  }

  /** The record as the ledger writes it: one flat JSON object ({@link LedgerLine}), no newline. */
  public String jsonLine() {
    return LedgerJson.line(this);
  }

  public boolean isOk() {
    return status == LedgerStatus.OK;
  }

  /** Builds a record part by part; each part can be set whole or changed from what it holds. */
  public static final class Builder {
    private String id;
    private LedgerStatus status;
    private String reason;
    private Integer manifestLine;
    private SegmentPlace place = SegmentPlace.WHOLE;
    private InputFacts input = InputFacts.NONE;
    private RequestParams params = RequestParams.NONE;
    private CallFacts call = CallFacts.NONE;
    private UsageCost usage = UsageCost.NONE;
    private ReplyFacts reply = ReplyFacts.NONE;
    private LedgerError error;

    public Builder id(String id) {
      this.id = id;
      return this;
    }

    public Builder status(LedgerStatus status) {
      this.status = status;
      return this;
    }

    public Builder reason(String reason) {
      this.reason = reason;
      return this;
    }

    public Builder manifestLine(Integer manifestLine) {
      this.manifestLine = manifestLine;
      return this;
    }

    public Builder place(SegmentPlace place) {
      this.place = place;
      return this;
    }

    public Builder input(InputFacts input) {
      this.input = input;
      return this;
    }

    public Builder input(UnaryOperator<InputFacts> change) {
      this.input = change.apply(input);
      return this;
    }

    public Builder params(RequestParams params) {
      this.params = params;
      return this;
    }

    public Builder call(CallFacts call) {
      this.call = call;
      return this;
    }

    public Builder call(UnaryOperator<CallFacts> change) {
      this.call = change.apply(call);
      return this;
    }

    public Builder usage(UsageCost usage) {
      this.usage = usage;
      return this;
    }

    public Builder usage(UnaryOperator<UsageCost> change) {
      this.usage = change.apply(usage);
      return this;
    }

    public Builder reply(ReplyFacts reply) {
      this.reply = reply;
      return this;
    }

    public Builder reply(UnaryOperator<ReplyFacts> change) {
      this.reply = change.apply(reply);
      return this;
    }

    public Builder error(LedgerError error) {
      this.error = error;
      return this;
    }

    public LedgerRecord build() {
      if (id == null || status == null) {
        throw new IllegalStateException("id and status are required");
      }
      return new LedgerRecord(id, status, reason, manifestLine, place, input, params, call, usage, reply, error);
    }
  }
}
