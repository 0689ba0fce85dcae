package io.kevo.chaos.check;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.kevo.chaos.history.Mop;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The checkers' results together, with one line a person reads first, e.g. {@code VALID: 41,233
 * ops; linearizable on the primary (812 keys); 0 lost writes; replica reads ok (3,120 reads);
 * converged (3 nodes, 812 keys, digest 1a2b3c4d5e6f)}. Immutable; converts to and from JSON.
 *
 * @param status the worst of the results' statuses (INVALID over UNKNOWN over VALID)
 * @param summary the one-line summary
 * @param ops how many operations the history held
 * @param results each checker's result, in the order run
 */
public record Verdict(Status status, String summary, long ops, List<CheckResult> results) {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .addMixIn(Mop.class, MopJson.class)
          .enable(SerializationFeature.INDENT_OUTPUT);

  /** Keeps {@code Mop.isWrite()} (derived) out of the JSON. */
  @JsonIgnoreProperties("write")
  private abstract static class MopJson {}

  public Verdict {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(summary, "summary");
    results = List.copyOf(results);
  }

  /** Combines {@code results} of checking a history of {@code ops} operations. */
  public static Verdict of(long ops, List<CheckResult> results) {
    Status status = Status.VALID;
    for (CheckResult r : results) {
      status = status.and(r.status());
    }
    String summary =
        status
            + ": "
            + OpText.count(ops)
            + " ops"
            + results.stream().map(r -> "; " + r.summary()).collect(Collectors.joining());
    return new Verdict(status, summary, ops, results);
  }

  /** The result of the checker named {@code checker}. */
  public CheckResult result(String checker) {
    return results.stream()
        .filter(r -> r.checker().equals(checker))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no result from " + checker));
  }

  /** This verdict as indented JSON. */
  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a verdict is always serializable", e);
    }
  }

  /** Reads a verdict written by {@link #toJson()}. */
  public static Verdict fromJson(String json) {
    try {
      return JSON.readValue(json, Verdict.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a verdict: " + e.getOriginalMessage(), e);
    }
  }
}
