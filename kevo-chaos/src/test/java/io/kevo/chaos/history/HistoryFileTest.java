package io.kevo.chaos.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kevo.chaos.check.RegisterWorkload;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryFileTest {
  @TempDir Path dir;

  private static History sample() {
    List<Op> ops = new ArrayList<>();
    ops.add(
        new Op(
            1,
            3,
            "n1",
            Op.Target.PRIMARY,
            Op.Kind.PUT,
            List.of(Mop.put("k7", "c3-1")),
            10,
            20,
            Outcome.OK,
            null,
            41,
            1,
            0));
    ops.add(
        new Op(
            2,
            4,
            "n2",
            Op.Target.REPLICA,
            Op.Kind.GET,
            List.of(Mop.read("k7", null)),
            11,
            19,
            Outcome.OK,
            null,
            40,
            1,
            39));
    ops.add(
        new Op(
            3,
            5,
            "n1",
            Op.Target.PRIMARY,
            Op.Kind.TXN,
            List.of(
                Mop.read("a", null),
                Mop.read("b", null),
                Mop.put("a", "x \"quoted\" é"),
                Mop.delete("b")),
            12,
            90,
            Outcome.UNKNOWN,
            "DEADLINE_EXCEEDED: deadline",
            0,
            0,
            0));
    ops.add(
        new Op(
            4,
            6,
            "n1",
            Op.Target.PRIMARY,
            Op.Kind.DELETE,
            List.of(Mop.delete("a")),
            13,
            14,
            Outcome.FAIL,
            "UNAVAILABLE: refused",
            0,
            0,
            0));
    return new History(
        ops,
        List.of(new Fault("kill", "n1", 5, 50, "kill -9"), new Fault("pause", "n2", 60, 70, "")),
        List.of(
            NodeState.of("n1", "primary", 41, Map.of("k7", "c3-1")),
            NodeState.of("n2", "replica", 40, Map.of())));
  }

  @Test
  void roundTripGivesAnEqualHistory() {
    Path file = dir.resolve("history.jsonl");
    History h = sample();
    HistoryFile.write(file, h);
    assertThat(HistoryFile.read(file)).isEqualTo(h);
  }

  @Test
  void generatedRunRoundTrips() {
    Path file = dir.resolve("big.jsonl");
    History h = History.of(new RegisterWorkload(10, 100, 3).generate(5_000));
    HistoryFile.write(file, h);
    assertThat(HistoryFile.read(file)).isEqualTo(h);
  }

  @Test
  void linesAreTypedJsonObjectsAfterAHeader() throws IOException {
    Path file = dir.resolve("history.jsonl");
    HistoryFile.write(file, sample());
    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(1 + 4 + 2 + 2);
    assertThat(lines.get(0))
        .isEqualTo("{\"type\":\"header\",\"format\":\"kevo-chaos-history\",\"version\":1}");
    assertThat(lines.get(1))
        .isEqualTo(
            "{\"type\":\"op\",\"id\":1,\"client\":3,\"node\":\"n1\",\"target\":\"PRIMARY\","
                + "\"kind\":\"PUT\",\"mops\":[{\"kind\":\"PUT\",\"key\":\"k7\",\"value\":\"c3-1\"}],"
                + "\"invokeNanos\":10,\"completeNanos\":20,\"outcome\":\"OK\",\"error\":null,"
                + "\"sequence\":41,\"epoch\":1,\"minSequence\":0}");
    assertThat(lines).anyMatch(l -> l.startsWith("{\"type\":\"fault\",\"kind\":\"kill\""));
    assertThat(lines.get(lines.size() - 1))
        .isEqualTo(
            "{\"type\":\"final\",\"node\":\"n2\",\"role\":\"replica\",\"lastSequence\":40,"
                + "\"data\":{}}");
  }

  @Test
  void writerAppendsFromManyThreadsAsTheRunGoes() throws Exception {
    Path file = dir.resolve("stream.jsonl");
    History h = History.of(new RegisterWorkload(10, 100, 5).generate(2_000));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try (HistoryFile.Writer w = HistoryFile.Writer.create(file)) {
      for (Op op : h.ops()) {
        pool.execute(() -> w.append(op));
      }
      pool.shutdown();
      assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(HistoryFile.read(file)).isEqualTo(h);
  }

  @Test
  void tornLastLineIsDroppedButABadMiddleLineIsAnError() throws IOException {
    Path file = dir.resolve("torn.jsonl");
    History h = sample();
    HistoryFile.write(file, h);
    Files.writeString(file, "{\"type\":\"op\",\"id\":9,\"cli", StandardOpenOption.APPEND);
    assertThat(HistoryFile.read(file)).isEqualTo(h);

    Files.writeString(file, "ent\":1}\n{\"type\":\"fault\"}\n", StandardOpenOption.APPEND);
    assertThatThrownBy(() -> HistoryFile.read(file))
        .isInstanceOf(HistoryFile.MalformedHistoryException.class)
        .hasMessageContaining("history line 10: op: missing field 'mops'");
  }

  @Test
  void fileWithoutTheHeaderOrOfAnotherVersionIsRefused() throws IOException {
    Path file = dir.resolve("other.jsonl");
    Files.writeString(file, "{\"type\":\"op\"}\n", StandardCharsets.UTF_8);
    assertThatThrownBy(() -> HistoryFile.read(file))
        .isInstanceOf(HistoryFile.MalformedHistoryException.class)
        .hasMessageContaining("not a kevo-chaos-history file");
    Files.writeString(
        file, "{\"type\":\"header\",\"format\":\"kevo-chaos-history\",\"version\":2}\n");
    assertThatThrownBy(() -> HistoryFile.read(file))
        .hasMessageContaining("version 2 is not supported");
  }

  @Test
  void closedWriterRefusesAppendsAndClosesTwiceQuietly() {
    HistoryFile.Writer w = HistoryFile.Writer.create(dir.resolve("closed.jsonl"));
    w.close();
    w.close();
    assertThatThrownBy(() -> w.append(sample().faults().get(0)))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> HistoryFile.read(dir.resolve("missing.jsonl")))
        .isInstanceOf(UncheckedIOException.class);
  }
}
