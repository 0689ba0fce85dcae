package io.kevo.client;

import java.util.List;
import java.util.Objects;

/**
 * The nodes the client starts from: the {@link ClientOptions#endpoints()} given, or the members a
 * {@link ZkDiscovery} reads from ZooKeeper and replaces as they change, with the member that
 * reports the primary role as a hint. The topology ({@code GetNodeInfo}) still decides where calls
 * go; the seeds are whom the {@link TopologyTracker} asks, and the hint is asked first.
 *
 * <p>Thread-safe: one immutable snapshot, read without locking and replaced whole.
 */
final class Seeds {
  /**
   * One consistent view.
   *
   * @param addresses the seeds, {@code HOST:PORT}, the hinted primary first; never empty
   * @param primaryHint the address ZooKeeper names as the primary, or null
   */
  record View(List<String> addresses, String primaryHint) {
    View {
      addresses = List.copyOf(addresses);
      if (addresses.isEmpty()) {
        throw new IllegalArgumentException("at least one seed is needed");
      }
    }
  }

  private volatile View view;

  private Seeds(View view) {
    this.view = view;
  }

  /** Fixed seeds, without a hint. */
  static Seeds of(List<String> addresses) {
    return of(new View(addresses, null));
  }

  /** Seeds starting as {@code view}. */
  static Seeds of(View view) {
    return new Seeds(Objects.requireNonNull(view, "view"));
  }

  /** The seeds now. */
  List<String> all() {
    return view.addresses();
  }

  /** The first seed now: where admin calls go. */
  String first() {
    return view.addresses().get(0);
  }

  /** The address ZooKeeper names as the primary now, or null. */
  String primaryHint() {
    return view.primaryHint();
  }

  /** Replaces the seeds; returns whether they changed. */
  synchronized boolean replace(View next) {
    Objects.requireNonNull(next, "next");
    View previous = view;
    view = next;
    return !previous.equals(next);
  }
}
