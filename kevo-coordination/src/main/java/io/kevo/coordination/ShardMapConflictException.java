package io.kevo.coordination;

/**
 * A change of the shard map lost a race: the cluster's map is no longer the one the change was made
 * from. Carries the map the cluster holds now, to redo the change from.
 */
public final class ShardMapConflictException extends CoordinationException {
  private static final long serialVersionUID = 1L;

  private final transient ShardMap current;

  ShardMapConflictException(ShardMap seen, ShardMap current) {
    super(
        "the shard map changed meanwhile: the change was made from version "
            + seen.version()
            + ", the cluster holds version "
            + current.version(),
        null);
    this.current = current;
  }

  /** The map the cluster holds now. */
  public ShardMap current() {
    return current;
  }
}
