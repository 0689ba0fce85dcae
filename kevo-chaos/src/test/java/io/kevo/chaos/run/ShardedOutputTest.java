package io.kevo.chaos.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.kevo.chaos.check.Ops;
import io.kevo.chaos.check.Status;
import io.kevo.chaos.check.Verdict;
import io.kevo.chaos.history.Fault;
import io.kevo.chaos.history.History;
import io.kevo.chaos.history.HistoryFile;
import io.kevo.chaos.history.NodeState;
import io.kevo.chaos.history.ShardLayout;
import io.kevo.coordination.ShardRange;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a sharded run leaves behind: its summary names the final map and gives a line per shard and
 * one merged; its files are written; and its recorded history, maps included, is judged again the
 * same way by {@code --check}.
 */
class ShardedOutputTest {
  @TempDir Path dir;

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static History history() {
    ShardLayout v1 =
        new ShardLayout(
            1,
            List.of(
                new ShardRange("s1", new byte[0], b("k010")),
                new ShardRange("s2", b("k010"), null)));
    ShardLayout v2 =
        new ShardLayout(
            2,
            List.of(
                new ShardRange("s1", new byte[0], b("k005")),
                new ShardRange("s3", b("k005"), b("k010")),
                new ShardRange("s2", b("k010"), null)));
    Ops ops = new Ops();
    ops.put("k001", "a").on("s1n1").at(0, 10).seq(1).epoch(1).add();
    ops.put("k007", "b").on("s1n1").at(20, 30).seq(2).epoch(1).add();
    ops.put("k012", "c").on("s2n1").at(20, 30).seq(1).epoch(1).add();
    ops.put("k007", "d").on("s3n1").at(120, 130).seq(3).epoch(2).add();
    ops.get("k007", "d").by(2).replica("s3n2").minSeq(3).at(140, 150).seq(3).epoch(2).add();
    List<Fault> faults =
        List.of(
            v1.asFault(0),
            new Fault(
                "split-kill", "s1", Ops.ms(40), Ops.ms(150), "split of shard s1 at k005 into s3"),
            v2.asFault(Ops.ms(100)),
            new Fault("shard-zk-cut", "s2", Ops.ms(160), Ops.ms(170), "black hole"));
    return new History(
        ops.all(),
        faults,
        List.of(
            NodeState.of("s1n1", "primary", 2, Map.of("k001", "a")),
            NodeState.of("s1n2", "replica", 2, Map.of("k001", "a")),
            NodeState.of("s2n1", "primary", 1, Map.of("k012", "c")),
            NodeState.of("s3n1", "primary", 3, Map.of("k007", "d")),
            NodeState.of("s3n2", "replica", 3, Map.of("k007", "d"))));
  }

  @Test
  void theSummaryNamesTheFinalMapAndJudgesEachShardAndTheMergedHistory() throws Exception {
    ChaosOptions o =
        new ChaosOptions(
            2,
            List.of("split-kill", "shard-zk-cut"),
            Duration.ofSeconds(1),
            7,
            "replica:1",
            dir,
            2,
            20,
            Duration.ofSeconds(1),
            List.of(),
            "batch",
            true,
            2);
    History h = history();
    Verdict v = Judge.judge(o.ack(), h);
    ChaosRun.Result result = new ChaosRun.Result(h, Duration.ofMillis(300), 0, "");

    List<String> summary = RunOutput.summary(o, result, v, List.of("a note"));
    RunOutput.write(o, result, v, summary, List.of("a note"));

    assertThat(v.status()).as(v.summary()).isEqualTo(Status.VALID);
    assertThat(summary)
        .contains(
            "shard map at the end: version 2: s1 [-, \"k005\") s3 [\"k005\", \"k010\")"
                + " s2 [\"k010\", -) (2 maps seen)")
        .anyMatch(l -> l.startsWith("shard s3: VALID, [\"k005\", \"k010\"), 3 ops: "))
        .anyMatch(l -> l.startsWith("merged: VALID, 5 ops: "))
        .anyMatch(
            l ->
                l.startsWith("faults: ")
                    && l.contains("split-kill 1")
                    && l.contains("shard-map 2"));
    assertThat(Files.readString(dir.resolve("summary.txt"))).contains("shard s1: VALID");
    assertThat(
            Verdict.fromJson(Files.readString(dir.resolve("verdict.json")))
                .result("shard s2")
                .status())
        .isEqualTo(Status.VALID);
    assertThat(Files.readString(dir.resolve("timeline.html")))
        .contains("split-kill", "shard-zk-cut");

    Path file = dir.resolve("history.jsonl");
    HistoryFile.write(file, h);
    Verdict again = Judge.recheck(file, "replica:1");
    assertThat(again.summary()).isEqualTo(v.summary());
  }
}
