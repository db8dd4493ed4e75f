package io.glmvoicebatch.manifest;

import java.io.Serializable;
import java.util.Objects;

/** One valid manifest entry: an audio file and what to ask about it. Immutable. */
public final class ManifestItem implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String id;
  private final String audio;
  private final String prompt;
  private final String system;
  private final Integer maxTokens;
  private final Double temperature;
  private final Double topP;
  private final int line;

  private ManifestItem(Builder b) {
    this.id = Objects.requireNonNull(b.id, "id");
    this.audio = Objects.requireNonNull(b.audio, "audio");
    this.prompt = b.prompt;
    this.system = b.system;
    this.maxTokens = b.maxTokens;
    this.temperature = b.temperature;
    this.topP = b.topP;
    this.line = b.line;
  }

  public static Builder builder() {
    return new Builder();
  }

  public String id() {
    return id;
  }

  /** Resolved audio location (absolute path or a Beam FileSystems URI). */
  public String audio() {
    return audio;
  }

  /** Optional text sent with the audio; null when absent. */
  public String prompt() {
    return prompt;
  }

  public String system() {
    return system;
  }

  public Integer maxTokens() {
    return maxTokens;
  }

  public Double temperature() {
    return temperature;
  }

  public Double topP() {
    return topP;
  }

  /** 1-based line of the manifest this item came from (the CSV header is line 1). */
  public int line() {
    return line;
  }

  public Builder toBuilder() {
    return new Builder()
        .id(id)
        .audio(audio)
        .prompt(prompt)
        .system(system)
        .maxTokens(maxTokens)
        .temperature(temperature)
        .topP(topP)
        .line(line);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ManifestItem)) {
      return false;
    }
    ManifestItem other = (ManifestItem) o;
    return line == other.line
        && id.equals(other.id)
        && audio.equals(other.audio)
        && Objects.equals(prompt, other.prompt)
        && Objects.equals(system, other.system)
        && Objects.equals(maxTokens, other.maxTokens)
        && Objects.equals(temperature, other.temperature)
        && Objects.equals(topP, other.topP);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, audio, prompt, system, maxTokens, temperature, topP, line);
  }

  @Override
  public String toString() {
    return "ManifestItem{id=" + id + ", audio=" + audio + ", line=" + line + "}";
  }

  /** Builder for {@link ManifestItem}. */
  public static final class Builder {
    private String id;
    private String audio;
    private String prompt;
    private String system;
    private Integer maxTokens;
    private Double temperature;
    private Double topP;
    private int line;

    public Builder id(String id) {
      this.id = id;
      return this;
    }

    public Builder audio(String audio) {
      this.audio = audio;
      return this;
    }

    public Builder prompt(String prompt) {
      this.prompt = prompt;
      return this;
    }

    public Builder system(String system) {
      this.system = system;
      return this;
    }

    public Builder maxTokens(Integer maxTokens) {
      this.maxTokens = maxTokens;
      return this;
    }

    public Builder temperature(Double temperature) {
      this.temperature = temperature;
      return this;
    }

    public Builder topP(Double topP) {
      this.topP = topP;
      return this;
    }

    public Builder line(int line) {
      this.line = line;
      return this;
    }

    public ManifestItem build() {
      return new ManifestItem(this);
    }
  }
}
