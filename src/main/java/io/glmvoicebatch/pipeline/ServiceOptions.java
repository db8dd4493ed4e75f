package io.glmvoicebatch.pipeline;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * How the service is reached and at what concurrency: they configure {@link CallGlmVoice}'s client (as
 * {@code ClientSettings}, held by the batch's {@link BatchRuntime}).
 * Part of {@link VoiceBatchOptions}; each description's [tag] is its group in {@code --help}.
 */
public interface ServiceOptions extends PipelineOptions {
  // Given as --endpoint (cli.OptionsParser maps it): Beam's s3:// module owns the property "endpoint".
  @Description("[api] Service base URL; the client POSTs {endpoint}/chat/completions. Unset: the real service "
      + "when an API key is present, else the embedded simulator.")
  String getGlmEndpoint();

  void setGlmEndpoint(String value);

  @Description("[api] File holding the API key (<id>.<secret>); otherwise the ZHIPUAI_API_KEY environment "
      + "variable is used.")
  String getApiKeyFile();

  void setApiKeyFile(String value);

  @Description("[api] How the key is sent: raw (Bearer <key>, the documented default) or jwt (HS256 token built "
      + "from the key, renewed before expiry).")
  @Default.String("raw")
  String getAuth();

  void setAuth(String value);

  @Description("[api] Account tier: V0, V1, V2 or V3, capping requests in flight at 5, 10, 15 or 20.")
  @Default.String("V0")
  String getTier();

  void setTier(String value);

  @Description("[api] Requests in flight, overriding --tier (for accounts whose limit the provider raised).")
  Integer getMaxInFlight();

  void setMaxInFlight(Integer value);

  @Description("[api] Lower our in-flight limit when the service answers 1302 below our cap (another program "
      + "shares the key), and probe back up.")
  @Default.Boolean(true)
  Boolean getAdaptiveConcurrency();

  void setAdaptiveConcurrency(Boolean value);

  @Description("[api] Attempts per item, the first included, for retryable errors (1302, 1303, 1305, 5xx, "
      + "timeouts, dropped connections).")
  @Default.Integer(6)
  Integer getMaxAttempts();

  void setMaxAttempts(Integer value);

  @Description("[api] Connect timeout, seconds.")
  @Default.Integer(8)
  Integer getConnectTimeoutSeconds();

  void setConnectTimeoutSeconds(Integer value);

  @Description("[api] Read timeout, seconds (a non-streaming reply waits for the whole generation).")
  @Default.Integer(300)
  Integer getReadTimeoutSeconds();

  void setReadTimeoutSeconds(Integer value);

  @Description("[api] Deadline per item across all its attempts, seconds.")
  @Default.Integer(900)
  Integer getItemDeadlineSeconds();

  void setItemDeadlineSeconds(Integer value);

  @Description("[api] Largest reply body accepted, bytes (declared or actually sent); a larger one is that item's "
      + "error, recorded uncertain (it may have been billed). The default, 128 MiB, is 1.9 x 10 minutes of reply "
      + "audio as base64.")
  @Default.Long(134_217_728L)
  Long getMaxReplyBytes();

  void setMaxReplyBytes(Long value);

  @Description("[api] After a request times out unanswered, its slot stays taken until this many seconds after it "
      + "was sent: the service may still count it against the account's cap.")
  @Default.Integer(600)
  Integer getServiceMaxRequestSeconds();

  void setServiceMaxRequestSeconds(Integer value);

  @Description("[api] Stop sending (exit code 3) after this many attempts in a row, across items, get no answer "
      + "from the service (refused, reset or timed out); 0 never stops.")
  @Default.Integer(20)
  Integer getMaxConsecutiveConnectionFailures();

  void setMaxConsecutiveConnectionFailures(Integer value);

  @Description("[api] Allow a plain http:// endpoint that is not on loopback (the key would travel unencrypted).")
  @Default.Boolean(false)
  Boolean getAllowInsecureEndpoint();

  void setAllowInsecureEndpoint(Boolean value);

  @Description("[api] Model name sent in each request.")
  @Default.String("glm-4-voice")
  String getModel();

  void setModel(String value);

  @Description("[api] Sample rate assumed for reply audio that is raw PCM (not a RIFF file); undocumented, the "
      + "official sample uses 44100.")
  @Default.Integer(44100)
  Integer getReplyPcmSampleRate();

  void setReplyPcmSampleRate(Integer value);
}
