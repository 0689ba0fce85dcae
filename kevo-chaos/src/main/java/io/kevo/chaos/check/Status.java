package io.kevo.chaos.check;

/** What a checker concluded about a history. */
public enum Status {
  /** The checker proved its property holds for everything it checked. */
  VALID,
  /** The checker found at least one anomaly: the property does not hold. */
  INVALID,
  /**
   * The checker could neither prove nor refute its property for some of what it checked (a search
   * ran out of budget, a final state was not read); never counts as passing.
   */
  UNKNOWN;

  /** The worse of two statuses: INVALID over UNKNOWN over VALID. */
  public Status and(Status other) {
    if (this == INVALID || other == INVALID) {
      return INVALID;
    }
    if (this == UNKNOWN || other == UNKNOWN) {
      return UNKNOWN;
    }
    return VALID;
  }
}
