package io.kevo.coordination;

import java.util.Objects;

/**
 * A planned move of the primary role ({@code kevo switchover}), the cluster's {@code switchover}
 * znode while it runs. Written by the person's command ({@link #STATE_REQUESTED}), then by the
 * primary as it pauses writes and hands over ({@link #STATE_HANDED_OFF}) or refuses; removed by the
 * new primary once it leads, or by the command when it gives up. Immutable.
 *
 * @param to the member id that should become primary
 * @param requestedAtMillis when it was asked for (the requester's clock)
 * @param pausedAtMillis when the primary stopped taking writes for it (its clock), 0 before
 * @param state {@link #STATE_REQUESTED}, {@link #STATE_HANDED_OFF}, or {@code refused: WHY}
 */
public record SwitchoverRequest(
    String to, long requestedAtMillis, long pausedAtMillis, String state) {

  /** Asked for; the primary has not acted yet. */
  public static final String STATE_REQUESTED = "requested";

  /** The primary paused writes, saw the target catch up and gave up the leadership. */
  public static final String STATE_HANDED_OFF = "handed-off";

  /** Checks the fields. */
  public SwitchoverRequest {
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(state, "state");
  }

  /** A new request for {@code to}. */
  public static SwitchoverRequest to(String to, long nowMillis) {
    return new SwitchoverRequest(to, nowMillis, 0, STATE_REQUESTED);
  }

  /** This request with writes paused at {@code atMillis}. */
  public SwitchoverRequest paused(long atMillis) {
    return new SwitchoverRequest(to, requestedAtMillis, atMillis, state);
  }

  /** This request handed off. */
  public SwitchoverRequest handedOff() {
    return new SwitchoverRequest(to, requestedAtMillis, pausedAtMillis, STATE_HANDED_OFF);
  }

  /** This request refused, saying why. */
  public SwitchoverRequest refused(String why) {
    return new SwitchoverRequest(to, requestedAtMillis, pausedAtMillis, "refused: " + why);
  }

  /** Whether the primary refused it. */
  public boolean isRefused() {
    return state.startsWith("refused");
  }

  /** Whether the primary handed the role to {@link #to()}. */
  public boolean isHandedOff() {
    return STATE_HANDED_OFF.equals(state);
  }
}
