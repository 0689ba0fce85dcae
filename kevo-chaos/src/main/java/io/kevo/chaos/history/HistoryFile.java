package io.kevo.chaos.history;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes a {@link History} as JSON lines (UTF-8, one JSON object per line, {@code \n}
 * after each). The format:
 *
 * <pre>
 * {"type":"header","format":"kevo-chaos-history","version":1}
 * {"type":"op","id":7,"client":3,"node":"n1","target":"PRIMARY","kind":"PUT",
 *  "mops":[{"kind":"PUT","key":"k7","value":"c3-2"}],"invokeNanos":1204000,
 *  "completeNanos":1206000,"outcome":"OK","error":null,"sequence":41,"epoch":1,"minSequence":0}
 * {"type":"fault","kind":"kill","target":"n1","startNanos":5,"endNanos":9,"detail":""}
 * {"type":"final","node":"n1","role":"primary","lastSequence":41,"data":{"k7":"c3-2"}}
 * </pre>
 *
 * (an op is one line; it is wrapped here for reading). The header comes first and names the format
 * and its version; the other lines may come in any order (a run appends operations as they
 * complete, so they are not sorted by invocation; {@link History} sorts them). A read value of null
 * means the key was absent. Reading tolerates one torn last line (no trailing newline and not valid
 * JSON: the harness died while appending it), which it drops with a warning; any other malformed
 * line is a {@link MalformedHistoryException} naming the line.
 *
 * <p>The static methods are thread-safe. A {@link Writer} may be shared by many threads.
 */
public final class HistoryFile {
  /** The value of the header's {@code format} field. */
  public static final String FORMAT = "kevo-chaos-history";

  /** The version this class writes and reads. */
  public static final int VERSION = 1;

  private static final Logger LOG = LoggerFactory.getLogger(HistoryFile.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private HistoryFile() {}

  /** Writes {@code history} to {@code file}, replacing it: header, ops, faults, final states. */
  public static void write(Path file, History history) {
    try (Writer w = Writer.create(file)) {
      history.ops().forEach(w::append);
      history.faults().forEach(w::append);
      history.finalStates().forEach(w::append);
    }
  }

  /**
   * Reads a history written by {@link #write} or a {@link Writer}.
   *
   * @throws MalformedHistoryException if a line (other than a torn last one) is not a valid record
   * @throws UncheckedIOException if the file cannot be read
   */
  public static History read(Path file) {
    List<Op> ops = new ArrayList<>();
    List<Fault> faults = new ArrayList<>();
    List<NodeState> finals = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      boolean tornTailPossible = !endsWithNewline(file);
      String line = in.readLine();
      if (line == null) {
        throw new MalformedHistoryException(1, "empty file: no header");
      }
      checkHeader(line);
      int number = 1;
      while ((line = in.readLine()) != null) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        JsonNode node;
        try {
          node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
          if (tornTailPossible && in.readLine() == null) {
            LOG.warn("{}: dropping torn last line {} ({} chars)", file, number, line.length());
            break;
          }
          throw new MalformedHistoryException(number, "not JSON: " + e.getOriginalMessage());
        }
        decodeLine(number, node, ops, faults, finals);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read history " + file, e);
    }
    return new History(ops, faults, finals);
  }

  private static boolean endsWithNewline(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      if (ch.size() == 0) {
        return true;
      }
      ByteBuffer last = ByteBuffer.allocate(1);
      ch.read(last, ch.size() - 1);
      return last.get(0) == '\n';
    }
  }

  private static void checkHeader(String line) {
    JsonNode header;
    try {
      header = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw new MalformedHistoryException(1, "the header is not JSON");
    }
    if (!"header".equals(header.path("type").asText())
        || !FORMAT.equals(header.path("format").asText())) {
      throw new MalformedHistoryException(1, "not a " + FORMAT + " file (no header)");
    }
    int version = header.path("version").asInt(-1);
    if (version != VERSION) {
      throw new MalformedHistoryException(
          1, "version " + version + " is not supported (this reader knows " + VERSION + ")");
    }
  }

  private static void decodeLine(
      int number, JsonNode node, List<Op> ops, List<Fault> faults, List<NodeState> finals) {
    String type = node.path("type").asText("");
    try {
      switch (type) {
        case "op" -> ops.add(decodeOp(node));
        case "fault" -> faults.add(decodeFault(node));
        case "final" -> finals.add(decodeFinal(node));
        default -> throw new MalformedHistoryException(number, "unknown type '" + type + "'");
      }
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new MalformedHistoryException(number, type + ": " + e.getMessage());
    }
  }

  private static Op decodeOp(JsonNode n) {
    List<Mop> mops = new ArrayList<>();
    for (JsonNode m : required(n, "mops")) {
      mops.add(
          new Mop(Mop.Kind.valueOf(text(m, "kind")), text(m, "key"), nullableText(m.get("value"))));
    }
    return new Op(
        number(n, "id"),
        (int) number(n, "client"),
        text(n, "node"),
        Op.Target.valueOf(text(n, "target")),
        Op.Kind.valueOf(text(n, "kind")),
        mops,
        number(n, "invokeNanos"),
        number(n, "completeNanos"),
        Outcome.valueOf(text(n, "outcome")),
        nullableText(n.get("error")),
        number(n, "sequence"),
        number(n, "epoch"),
        number(n, "minSequence"));
  }

  private static Fault decodeFault(JsonNode n) {
    return new Fault(
        text(n, "kind"),
        text(n, "target"),
        number(n, "startNanos"),
        number(n, "endNanos"),
        nullableText(n.get("detail")));
  }

  private static NodeState decodeFinal(JsonNode n) {
    TreeMap<String, String> data = new TreeMap<>();
    for (Map.Entry<String, JsonNode> e : required(n, "data").properties()) {
      data.put(e.getKey(), e.getValue().asText());
    }
    return new NodeState(text(n, "node"), text(n, "role"), number(n, "lastSequence"), data);
  }

  private static JsonNode required(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      throw new IllegalArgumentException("missing field '" + field + "'");
    }
    return v;
  }

  private static String text(JsonNode n, String field) {
    return required(n, field).asText();
  }

  private static String nullableText(JsonNode v) {
    return v == null || v.isNull() ? null : v.asText();
  }

  private static long number(JsonNode n, String field) {
    JsonNode v = required(n, field);
    if (!v.canConvertToLong()) {
      throw new IllegalArgumentException("field '" + field + "' is not an integer");
    }
    return v.asLong();
  }

  static ObjectNode encode(Op op) {
    ObjectNode n = JSON.createObjectNode();
    n.put("type", "op");
    n.put("id", op.id());
    n.put("client", op.client());
    n.put("node", op.node());
    n.put("target", op.target().name());
    n.put("kind", op.kind().name());
    ArrayNode mops = n.putArray("mops");
    for (Mop m : op.mops()) {
      mops.addObject().put("kind", m.kind().name()).put("key", m.key()).put("value", m.value());
    }
    n.put("invokeNanos", op.invokeNanos());
    n.put("completeNanos", op.completeNanos());
    n.put("outcome", op.outcome().name());
    n.put("error", op.error());
    n.put("sequence", op.sequence());
    n.put("epoch", op.epoch());
    n.put("minSequence", op.minSequence());
    return n;
  }

  static ObjectNode encode(Fault f) {
    ObjectNode n = JSON.createObjectNode();
    n.put("type", "fault");
    n.put("kind", f.kind());
    n.put("target", f.target());
    n.put("startNanos", f.startNanos());
    n.put("endNanos", f.endNanos());
    n.put("detail", f.detail());
    return n;
  }

  static ObjectNode encode(NodeState s) {
    ObjectNode n = JSON.createObjectNode();
    n.put("type", "final");
    n.put("node", s.node());
    n.put("role", s.role());
    n.put("lastSequence", s.lastSequence());
    ObjectNode data = n.putObject("data");
    s.data().forEach(data::put);
    return n;
  }

  /** A line of the file that is not a valid record. */
  public static final class MalformedHistoryException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int line;

    MalformedHistoryException(int line, String message) {
      super("history line " + line + ": " + message);
      this.line = line;
    }

    /** The 1-based line number of the bad line. */
    public int line() {
      return line;
    }
  }

  /**
   * Appends records to a history file as a run produces them: the header on {@link #create}, then
   * one line per {@code append}, each written through to the operating system before {@code append}
   * returns (so a harness that dies loses at most the line it was writing, which {@link
   * HistoryFile#read} drops). Thread-safe: appends from many threads are serialized, each line
   * whole. The first I/O error is sticky: every later call throws it again. {@link #close()} is
   * idempotent.
   */
  public static final class Writer implements AutoCloseable {
    private final Path file;
    private final BufferedWriter out;
    private IOException failure;
    private boolean closed;

    private Writer(Path file, BufferedWriter out) {
      this.file = file;
      this.out = out;
    }

    /** Creates (or truncates) {@code file} and writes the header. */
    public static Writer create(Path file) {
      try {
        BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        Writer w = new Writer(file, out);
        ObjectNode header = JSON.createObjectNode();
        header.put("type", "header").put("format", FORMAT).put("version", VERSION);
        w.line(header);
        return w;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create history " + file, e);
      }
    }

    /** Appends one operation. */
    public void append(Op op) {
      line(encode(op));
    }

    /** Appends one fault window. */
    public void append(Fault fault) {
      line(encode(fault));
    }

    /** Appends one node's final state. */
    public void append(NodeState state) {
      line(encode(state));
    }

    private synchronized void line(ObjectNode node) {
      if (closed) {
        throw new IllegalStateException("history writer for " + file + " is closed");
      }
      if (failure != null) {
        throw new UncheckedIOException("an earlier write to " + file + " failed", failure);
      }
      try {
        out.write(JSON.writeValueAsString(node));
        out.write('\n');
        out.flush();
      } catch (IOException e) {
        failure = e;
        throw new UncheckedIOException("cannot append to history " + file, e);
      }
    }

    /**
     * Closes the file. Idempotent. Unlike most handles here it may throw: a history whose last
     * lines failed to reach the file must not pass for a complete one.
     *
     * @throws UncheckedIOException if closing failed or an earlier append had failed
     */
    @Override
    public synchronized void close() {
      if (closed) {
        return;
      }
      closed = true;
      try {
        out.close();
      } catch (IOException e) {
        failure = failure == null ? e : failure;
      }
      if (failure != null) {
        throw new UncheckedIOException("history " + file + " is incomplete", failure);
      }
    }
  }
}
