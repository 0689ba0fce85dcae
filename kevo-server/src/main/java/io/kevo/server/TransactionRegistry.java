package io.kevo.server;

import io.kevo.engine.ErrorCode;
import io.kevo.engine.KevoDB;
import io.kevo.engine.KevoException;
import io.kevo.engine.Transaction;
import io.kevo.engine.TransactionMode;
import io.kevo.engine.TransactionOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Open transactions by id, for clients that address them across RPCs.
 *
 * <p>Ids are random UUIDs (not guessable from another client's). A transaction ends by commit,
 * rollback, expiry (idle longer than the idle timeout, or older than the maximum lifetime) or
 * server shutdown; an ended transaction is rolled back unless committed and its id is unknown from
 * then on ({@link ServerException.Reason#UNKNOWN_TRANSACTION}, with a message saying how it ended
 * while the id is among the last {@value #REMEMBERED_ENDINGS} to end). An empty id is a malformed
 * request, not an unknown transaction: every call taking an id refuses it with {@link
 * ServerException.Reason#BAD_REQUEST}. Expired transactions are found by {@link #sweep()}, which
 * the server schedules, and by any call that uses one. A transaction whose call is running (a
 * pessimistic one waiting for a key's lock, say) is busy: it is never idle, and the sweep leaves it
 * for a later round rather than wait for the call. Ending a pessimistic transaction, however it
 * ends (expiry of an abandoned one included), releases its key locks.
 *
 * <p>A pessimistic transaction that fails to get a lock ({@code LOCK_TIMEOUT}, {@code DEADLOCK})
 * has been rolled back by the engine; it is forgotten at once, like one that lost at commit.
 *
 * <p>Thread-safe. Each transaction is used by one call at a time: {@link #use} holds the entry's
 * monitor while the transaction runs, so concurrent calls on one id are serialized.
 */
final class TransactionRegistry implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TransactionRegistry.class);
  static final int REMEMBERED_ENDINGS = 10_000;

  /** How a transaction ended, as counted; {@link #label} names it in metrics. */
  enum Ending {
    COMMITTED("committed"),
    ROLLED_BACK("rolled_back"),
    CONFLICT("conflict"),
    LOCK_TIMEOUT("lock_timeout"),
    DEADLOCK("deadlock"),
    EXPIRED("expired"),
    FAILED("failed"),
    SHUTDOWN("shutdown"),
    RANGE_MOVED("range_moved");

    final String label;

    Ending(String label) {
      this.label = label;
    }

    /** The ending of a transaction the engine refused with {@code code}. */
    static Ending of(ErrorCode code) {
      return switch (code) {
        case CONFLICT -> CONFLICT;
        case LOCK_TIMEOUT -> LOCK_TIMEOUT;
        case DEADLOCK -> DEADLOCK;
        default -> FAILED;
      };
    }
  }

  private final KevoDB db;
  private final long idleNanos;
  private final long lifetimeNanos;
  private final int maxOpen;
  private final TransactionMode defaultMode;
  private final Duration lockTimeout;
  private final LongSupplier nanoTime;
  private final ConcurrentHashMap<String, Entry> open = new ConcurrentHashMap<>();
  private final LongAdder begun = new LongAdder();
  private final Map<Ending, LongAdder> ended = new EnumMap<>(Ending.class);
  private final Map<String, String> endings =
      Collections.synchronizedMap(
          new LinkedHashMap<>() {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
              return size() > REMEMBERED_ENDINGS;
            }
          });
  private boolean closed; // guarded by this

  /**
   * @param defaultMode the mode of read-write transactions begun without one
   * @param lockTimeout a pessimistic transaction's lock timeout
   * @param nanoTime a monotonic clock in nanoseconds ({@code System::nanoTime} outside tests)
   */
  TransactionRegistry(
      KevoDB db,
      Duration idle,
      Duration lifetime,
      int maxOpen,
      TransactionMode defaultMode,
      Duration lockTimeout,
      LongSupplier nanoTime) {
    this.db = db;
    this.idleNanos = idle.toNanos();
    this.lifetimeNanos = lifetime.toNanos();
    this.maxOpen = maxOpen;
    this.defaultMode = defaultMode;
    this.lockTimeout = lockTimeout;
    this.nanoTime = nanoTime;
    for (Ending how : Ending.values()) {
      ended.put(how, new LongAdder());
    }
  }

  /** The mode of read-write transactions begun without one. */
  TransactionMode defaultMode() {
    return defaultMode;
  }

  /** A transaction begun: its id and the sequence its snapshot reads at. */
  record Begun(String id, long snapshotSequence) {}

  /**
   * Begins a transaction in {@code mode} (ignored if read-only; its snapshot at least at
   * read-your-writes {@code minSequence}, 0 for none; see {@link TransactionOptions#minSequence()})
   * and returns its id.
   *
   * @throws ServerException TOO_MANY_TRANSACTIONS at the cap (after expiring what has expired)
   */
  synchronized Begun begin(boolean readOnly, long minSequence, TransactionMode mode) {
    if (closed) {
      throw new ServerException(ServerException.Reason.SHUTTING_DOWN, "server is shutting down");
    }
    if (open.size() >= maxOpen) {
      sweep();
      if (open.size() >= maxOpen) {
        throw new ServerException(
            ServerException.Reason.TOO_MANY_TRANSACTIONS,
            "too many open transactions ("
                + maxOpen
                + "); commit or roll back some, or wait for idle ones to expire");
      }
    }
    TransactionOptions o =
        readOnly
            ? TransactionOptions.READ_ONLY
            : TransactionOptions.DEFAULT.withMode(mode).withLockTimeout(lockTimeout);
    Transaction tx = db.beginTransaction(o.withMinSequence(minSequence));
    String id = UUID.randomUUID().toString();
    open.put(id, new Entry(id, tx, nanoTime.getAsLong()));
    begun.increment();
    LOG.debug("transaction {} begun (engine id {}, read-only {}, {})", id, tx.id(), readOnly, mode);
    return new Begun(id, tx.snapshotSequence());
  }

  /**
   * Runs {@code body} on the open transaction {@code id}, counting as activity.
   *
   * @throws ServerException BAD_REQUEST if {@code id} is empty; UNKNOWN_TRANSACTION if it is not
   *     open (or has just expired)
   */
  <R> R use(String id, Function<Transaction, R> body) {
    Entry e = live(id);
    synchronized (e) {
      if (e.ended) {
        throw unknown(id);
      }
      e.lastUsed = nanoTime.getAsLong();
      e.busy = true;
      try {
        return body.apply(e.tx);
      } catch (KevoException failure) {
        if (failure.code() == ErrorCode.LOCK_TIMEOUT || failure.code() == ErrorCode.DEADLOCK) {
          // the engine rolled it back: forget it, so later calls get NOT_FOUND saying why
          open.remove(id, e);
          end(e, Ending.of(failure.code()), "aborted: " + failure.getMessage());
        }
        throw failure;
      } finally {
        e.busy = false;
        e.lastUsed = nanoTime.getAsLong();
      }
    }
  }

  /**
   * Commits and forgets {@code id}. On a conflict the transaction is rolled back and forgotten too,
   * and the engine's exception propagates. Returns the sequence of the last write applied (the
   * snapshot's for a transaction that wrote nothing).
   */
  long commit(String id) {
    Entry e = take(id);
    synchronized (e) {
      Ending how = Ending.FAILED;
      try {
        long sequence = e.tx.commit();
        how = Ending.COMMITTED;
        return sequence;
      } catch (KevoException failure) {
        how = Ending.of(failure.code());
        throw failure;
      } finally {
        end(e, how, how == Ending.COMMITTED ? "committed" : "aborted at commit");
      }
    }
  }

  /** Rolls back and forgets {@code id}. */
  void rollback(String id) {
    Entry e = take(id);
    synchronized (e) {
      end(e, Ending.ROLLED_BACK, "rolled back");
    }
  }

  /** Rolls back every transaction past its idle timeout or lifetime. Returns how many. */
  int sweep() {
    long now = nanoTime.getAsLong();
    int expired = 0;
    for (Entry e : open.values()) {
      if (e.busy) {
        continue; // its call is running (maybe waiting for a lock): not idle; next round
      }
      String why = expiry(e, now);
      if (why != null && open.remove(e.id, e)) {
        synchronized (e) {
          end(e, Ending.EXPIRED, why);
        }
        expired++;
      }
    }
    if (expired > 0) {
      LOG.debug("rolled back {} expired transactions", expired);
    }
    return expired;
  }

  /** Transactions begun since the server started. */
  long begunCount() {
    return begun.sum();
  }

  /** Transactions that ended {@code how} since the server started. */
  long endedCount(Ending how) {
    return ended.get(how).sum();
  }

  /**
   * Every count by its metrics label: {@code begun}, then each {@link Ending}'s (committed, rolled
   * back by the client, lost a conflict at commit, lock timeout, deadlock, expired, commit failed
   * otherwise, rolled back at shutdown).
   */
  Map<String, LongSupplier> counts() {
    Map<String, LongSupplier> m = new LinkedHashMap<>();
    m.put("begun", this::begunCount);
    for (Ending how : Ending.values()) {
      m.put(how.label, () -> endedCount(how));
    }
    return m;
  }

  /** Transactions open now. */
  int openCount() {
    return open.size();
  }

  /**
   * Rolls back every open transaction (their later calls learn {@code why}), for a split's fence: a
   * transaction's writes reach the log only at its commit, so one left open could write keys this
   * shard has given away. New transactions may begin. A transaction whose call is running is rolled
   * back once that call ends (its monitor is held meanwhile).
   *
   * @return how many were rolled back
   */
  int rollBackAll(String why) {
    int n = 0;
    for (Entry e : open.values()) {
      if (open.remove(e.id, e)) {
        synchronized (e) {
          end(e, Ending.RANGE_MOVED, why);
        }
        n++;
      }
    }
    if (n > 0) {
      LOG.info("rolled back {} open transactions: {}", n, why);
    }
    return n;
  }

  /** Rolls back every open transaction and refuses new ones. Idempotent; throws nothing. */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
    }
    // Idle ones first: ending them releases locks that busy ones may be waiting for.
    List<Entry> left = new ArrayList<>();
    List<Entry> busy = new ArrayList<>();
    for (Entry e : open.values()) {
      (e.busy ? busy : left).add(e);
    }
    left.addAll(busy);
    for (Entry e : left) {
      if (open.remove(e.id, e)) {
        synchronized (e) {
          end(e, Ending.SHUTDOWN, "rolled back at server shutdown");
        }
      }
    }
    if (!left.isEmpty()) {
      LOG.info("rolled back {} open transactions at shutdown", left.size());
    }
  }

  private Entry live(String id) {
    if (id.isEmpty()) {
      // proto3 sends an unset string as "": the client forgot the id, it did not name a stale one
      throw new ServerException(
          ServerException.Reason.BAD_REQUEST, "transaction_id must not be empty");
    }
    Entry e = open.get(id);
    if (e == null) {
      throw unknown(id);
    }
    String why = expiry(e, nanoTime.getAsLong());
    if (why != null) {
      if (open.remove(id, e)) {
        synchronized (e) {
          end(e, Ending.EXPIRED, why);
        }
      }
      throw unknown(id);
    }
    return e;
  }

  private Entry take(String id) {
    Entry e = live(id);
    if (!open.remove(id, e)) {
      throw unknown(id); // another call ended it first
    }
    return e;
  }

  private String expiry(Entry e, long now) {
    if (now - e.created > lifetimeNanos) {
      return "expired: older than the maximum lifetime of "
          + Duration.ofNanos(lifetimeNanos).toMillis()
          + " ms";
    }
    if (!e.busy && now - e.lastUsed > idleNanos) {
      return "expired: idle longer than " + Duration.ofNanos(idleNanos).toMillis() + " ms";
    }
    return null;
  }

  /**
   * Marks {@code e} ended {@code how}, with {@code message} for later calls naming it (caller holds
   * its monitor and has removed it from {@code open}).
   */
  private void end(Entry e, Ending how, String message) {
    if (e.ended) {
      return;
    }
    e.ended = true;
    ended.get(how).increment();
    endings.put(e.id, message);
    e.tx.close(); // rolls back unless committed; throws nothing
    LOG.debug("transaction {} {}", e.id, message);
  }

  private ServerException unknown(String id) {
    String how = endings.get(id);
    String message =
        how == null
            ? "unknown transaction id '" + id + "' (never begun here, or ended long ago)"
            : "transaction '" + id + "' has ended: " + how;
    return new ServerException(ServerException.Reason.UNKNOWN_TRANSACTION, message);
  }

  private static final class Entry {
    final String id;
    final Transaction tx;
    final long created;
    volatile long lastUsed;
    volatile boolean busy; // written under this, read by the sweep without it
    boolean ended; // guarded by this

    Entry(String id, Transaction tx, long now) {
      this.id = id;
      this.tx = tx;
      this.created = now;
      this.lastUsed = now;
    }
  }
}
