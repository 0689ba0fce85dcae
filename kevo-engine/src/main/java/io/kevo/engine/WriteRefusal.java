package io.kevo.engine;

import java.time.Instant;

/**
 * Why an open database refuses writes now (see {@link KevoDB#writeRefusal()}). Reads go on.
 *
 * @param code what a write gets: {@link ErrorCode#NO_SPACE} (the engine resumes by itself once the
 *     disk has room) or {@link ErrorCode#WRITES_REFUSED} (only a reopen helps)
 * @param reason what failed, in words, with the underlying error
 * @param since when writes started being refused
 */
public record WriteRefusal(ErrorCode code, String reason, Instant since) {
  /** Whether the engine will resume writes by itself when the condition clears. */
  public boolean resumesByItself() {
    return code.retriable();
  }
}
