package io.kevo.replication;

import io.kevo.engine.DurableFiles;
import io.kevo.proto.replication.EpochRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * A node's epoch history: the terms of the primaries its entries were written in, oldest first (see
 * "Epochs" in {@code replication.proto}). The entry at sequence {@code s} belongs to the last term
 * whose start is at or before {@code s}. Immutable.
 *
 * <p>Kept in {@code <data>/replication/epochs}, one term per line ({@code epoch term-id
 * start-sequence node-id}), replaced atomically ({@link DurableFiles}).
 */
public final class EpochHistory {
  public static final String FILE = "epochs";
  private static final String HEADER = "# kevo epoch history: epoch term-id start-sequence node-id";
  private static final int MAX_ID_LENGTH = 128;

  /**
   * One term.
   *
   * @param epoch the epoch number (1 or more)
   * @param termId random, unique to the term
   * @param startSequence the first sequence written in the term
   * @param nodeId the node that began it
   */
  public record Term(long epoch, String termId, long startSequence, String nodeId) {
    public Term {
      if (epoch < 1 || startSequence < 1) {
        throw new IllegalArgumentException(
            "epoch and start sequence must be positive: " + epoch + ", " + startSequence);
      }
      checkId("term id", termId);
      checkId("node id", nodeId);
    }

    /** Whether {@code other} is the same term (epoch and term id). */
    public boolean sameTerm(Term other) {
      return other != null && epoch == other.epoch && termId.equals(other.termId);
    }

    public EpochRecord toProto() {
      return EpochRecord.newBuilder()
          .setEpoch(epoch)
          .setTermId(termId)
          .setStartSequence(startSequence)
          .setNodeId(nodeId)
          .build();
    }

    @Override
    public String toString() {
      return "epoch " + epoch + " (term " + termId + ", from sequence " + startSequence + ")";
    }
  }

  private static final EpochHistory EMPTY = new EpochHistory(List.of());

  private final List<Term> terms;

  private EpochHistory(List<Term> terms) {
    this.terms = List.copyOf(terms);
  }

  /** The history of a node that has seen no term. */
  public static EpochHistory empty() {
    return EMPTY;
  }

  /**
   * A history of {@code terms}, oldest first.
   *
   * @throws IllegalArgumentException if epochs or start sequences decrease
   */
  public static EpochHistory of(List<Term> terms) {
    for (int i = 1; i < terms.size(); i++) {
      Term a = terms.get(i - 1);
      Term b = terms.get(i);
      if (b.epoch() < a.epoch() || b.startSequence() < a.startSequence()) {
        throw new IllegalArgumentException(
            "an epoch history must not go back: " + a + " then " + b);
      }
      if (a.sameTerm(b)) {
        throw new IllegalArgumentException("term " + b.termId() + " appears twice");
      }
    }
    return new EpochHistory(terms);
  }

  public List<Term> terms() {
    return terms;
  }

  public boolean isEmpty() {
    return terms.isEmpty();
  }

  /** The newest term, or null. */
  public Term last() {
    return terms.isEmpty() ? null : terms.get(terms.size() - 1);
  }

  /** The newest term's epoch, 0 if none. */
  public long currentEpoch() {
    Term t = last();
    return t == null ? 0 : t.epoch();
  }

  /** The term of the entry at {@code sequence}, or null if none covers it. */
  public Term termAt(long sequence) {
    Term found = null;
    for (Term t : terms) {
      if (t.startSequence() > sequence) {
        break;
      }
      found = t;
    }
    return found;
  }

  /** Whether this history has {@code term} (same epoch and term id). */
  public boolean contains(Term term) {
    return term != null && contains(term.epoch(), term.termId());
  }

  /** Whether this history has the term {@code termId} of epoch {@code epoch}. */
  public boolean contains(long epoch, String termId) {
    for (Term t : terms) {
      if (t.epoch() == epoch && t.termId().equals(termId)) {
        return true;
      }
    }
    return false;
  }

  /** Without the terms that have no entry at or below {@code lastSequence}. */
  public EpochHistory upTo(long lastSequence) {
    List<Term> kept = new ArrayList<>();
    for (Term t : terms) {
      if (t.startSequence() <= lastSequence) {
        kept.add(t);
      }
    }
    return kept.size() == terms.size() ? this : new EpochHistory(kept);
  }

  /**
   * The history after this node begins a term as primary, its first entry at {@code nextSequence}.
   * Terms that have no entry before {@code nextSequence} are dropped. The epoch is the highest seen
   * (dropped terms included) + 1 when {@code promote}, or when the newest term was begun by another
   * node (this node takes over); a node's own restart keeps its epoch, with a new term id (entries
   * it wrote but lost in a crash are then told apart from the new ones).
   */
  public EpochHistory beginTerm(
      String nodeId, long nextSequence, boolean promote, Supplier<String> termIds) {
    long maxSeen = 0;
    for (Term t : terms) {
      maxSeen = Math.max(maxSeen, t.epoch());
    }
    Term newest = last();
    boolean own = newest != null && newest.nodeId().equals(nodeId);
    long epoch = maxSeen == 0 ? 1 : (own && !promote ? maxSeen : maxSeen + 1);
    List<Term> next = new ArrayList<>(upTo(nextSequence - 1).terms);
    next.add(new Term(epoch, termIds.get(), Math.max(1, nextSequence), nodeId));
    return new EpochHistory(next);
  }

  /**
   * Begins a term of epoch {@code epoch} by {@code nodeId} at {@code nextSequence}, an epoch
   * granted by the coordinator's ledger (so unique in the cluster). Terms with no entry before
   * {@code nextSequence} are dropped, as in {@link #beginTerm(String, long, boolean, Supplier)}.
   *
   * @throws IllegalArgumentException if {@code epoch} is not above every epoch this history has
   *     seen
   */
  public EpochHistory beginTermAt(String nodeId, long nextSequence, long epoch) {
    for (Term t : terms) {
      if (t.epoch() >= epoch) {
        throw new IllegalArgumentException(
            "epoch " + epoch + " is not above " + t + ", which this node has seen");
      }
    }
    List<Term> next = new ArrayList<>(upTo(nextSequence - 1).terms);
    next.add(new Term(epoch, UUID.randomUUID().toString(), Math.max(1, nextSequence), nodeId));
    return new EpochHistory(next);
  }

  /** {@link #beginTerm(String, long, boolean, Supplier)} with random term ids. */
  public EpochHistory beginTerm(String nodeId, long nextSequence, boolean promote) {
    return beginTerm(nodeId, nextSequence, promote, () -> UUID.randomUUID().toString());
  }

  /**
   * Why a replica with this history must not follow a primary with history {@code primary}, or null
   * if it may: the primary's current epoch is lower than this history's newest, or equal to it
   * without this history's newest term (a stale primary, or two promotions to one epoch).
   */
  public String refusalOf(EpochHistory primary) {
    Term mine = last();
    Term theirs = primary.last();
    if (mine == null) {
      return null;
    }
    if (theirs == null) {
      return "the primary has no epoch history while this node has seen " + mine;
    }
    if (theirs.epoch() > mine.epoch() || primary.contains(mine)) {
      return null;
    }
    if (theirs.epoch() < mine.epoch()) {
      return "the primary is stale: its "
          + theirs
          + " is older than "
          + mine
          + ", which this node has seen (another node was promoted since)";
    }
    return "the primary's "
        + theirs
        + " is not the "
        + mine
        + " this node has seen: two nodes were made primary of epoch "
        + mine.epoch();
  }

  /**
   * The first sequence at or below {@code lastSequence} whose entry here is not the primary's
   * (different terms), or -1 if every entry up to {@code lastSequence} is in the primary's history.
   * An entry at or past {@code primaryNext} is judged against the primary's newest term (the one it
   * writes in).
   */
  public long divergenceFrom(EpochHistory primary, long lastSequence) {
    if (lastSequence < 1) {
      return -1;
    }
    TreeSet<Long> points = new TreeSet<>();
    points.add(1L);
    for (Term t : terms) {
      points.add(t.startSequence());
    }
    for (Term t : primary.terms) {
      points.add(t.startSequence());
    }
    for (long p : points) {
      if (p > lastSequence) {
        break;
      }
      Term mine = termAt(p);
      Term theirs = primary.termAt(p);
      boolean same = mine == null ? theirs == null : mine.sameTerm(theirs);
      if (!same) {
        return p;
      }
    }
    return -1;
  }

  // ---------------------------------------------------------------- proto

  public List<EpochRecord> toProto() {
    List<EpochRecord> out = new ArrayList<>(terms.size());
    for (Term t : terms) {
      out.add(t.toProto());
    }
    return out;
  }

  /**
   * @throws ReplicationException MALFORMED if a record is invalid or the history goes back
   */
  public static EpochHistory fromProto(List<EpochRecord> records) {
    try {
      List<Term> terms = new ArrayList<>(records.size());
      for (EpochRecord r : records) {
        terms.add(new Term(r.getEpoch(), r.getTermId(), r.getStartSequence(), r.getNodeId()));
      }
      return of(terms);
    } catch (IllegalArgumentException e) {
      throw new ReplicationException(
          ReplicationException.Reason.MALFORMED, "bad epoch history: " + e.getMessage());
    }
  }

  // ---------------------------------------------------------------- file

  /** The history kept in {@code stateDir}; empty if there is none. */
  public static EpochHistory load(Path stateDir) {
    Path file = stateDir.resolve(FILE);
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      return EMPTY;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the epoch history " + file, e);
    }
    List<Term> terms = new ArrayList<>();
    int n = 0;
    for (String line : lines) {
      n++;
      String l = line.trim();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      String[] f = l.split(" ");
      try {
        if (f.length != 4) {
          throw new IllegalArgumentException("expected 4 fields, found " + f.length);
        }
        terms.add(new Term(Long.parseLong(f[0]), f[1], Long.parseLong(f[2]), f[3]));
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException(
            file + " line " + n + " is not an epoch record (" + e.getMessage() + "): " + line, e);
      }
    }
    try {
      return of(terms);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(file + " is not a valid epoch history: " + e.getMessage(), e);
    }
  }

  /** Replaces the history kept in {@code stateDir} with this one, atomically and durably. */
  public void store(Path stateDir) {
    StringBuilder sb = new StringBuilder(HEADER).append('\n');
    for (Term t : terms) {
      sb.append(t.epoch())
          .append(' ')
          .append(t.termId())
          .append(' ')
          .append(t.startSequence())
          .append(' ')
          .append(t.nodeId())
          .append('\n');
    }
    Path file = stateDir.resolve(FILE);
    try {
      DurableFiles.replace(file, StandardCharsets.US_ASCII.encode(sb.toString()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the epoch history " + file, e);
    }
  }

  private static void checkId(String what, String id) {
    Objects.requireNonNull(id, what);
    if (id.isEmpty()
        || id.length() > MAX_ID_LENGTH
        || !id.chars().allMatch(c -> c > 32 && c < 127)) {
      throw new IllegalArgumentException(
          what + " must be 1 to " + MAX_ID_LENGTH + " printable ASCII characters: '" + id + "'");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EpochHistory h && h.terms.equals(terms);
  }

  @Override
  public int hashCode() {
    return terms.hashCode();
  }

  @Override
  public String toString() {
    return terms.toString();
  }
}
