package io.kevo.chaos.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.kevo.chaos.history.History;
import io.kevo.chaos.history.Op;
import io.kevo.chaos.history.Outcome;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class SamplerTest {
  private static final History RUN =
      SyntheticRun.generate(3, 10_000, 120, SyntheticRun.threeFaults());

  private static final Set<Long> FLAGGED = Set.of(17L, 4_242L, 9_999L);

  private static long count(List<Op> ops, Outcome outcome) {
    return ops.stream().filter(op -> op.outcome() == outcome).count();
  }

  @Test
  void drawsEverythingUpToTheThreshold() {
    Sampler.Sample s = new Sampler(10_000, 100).sample(RUN.ops(), FLAGGED);
    assertThat(s.drawn()).isEqualTo(RUN.ops());
    assertThat(s.complete()).isTrue();
  }

  @Test
  void pastTheThresholdKeepsEveryFailedUnknownAndFlaggedOpAndSamplesTheRest() {
    Sampler.Sample s = new Sampler(2_000, 5_000).sample(RUN.ops(), FLAGGED);

    Set<Long> drawn = s.drawn().stream().map(Op::id).collect(Collectors.toSet());
    assertThat(drawn).containsAll(FLAGGED);
    for (Op op : RUN.ops()) {
      if (op.outcome() != Outcome.OK) {
        assertThat(drawn).contains(op.id());
      }
    }
    long notOk = RUN.ops().size() - count(RUN.ops(), Outcome.OK);
    assertThat(notOk).isBetween(300L, 1_800L);
    long flaggedOk =
        RUN.ops().stream()
            .filter(op -> FLAGGED.contains(op.id()) && op.outcome() == Outcome.OK)
            .count();
    assertThat(count(s.drawn(), Outcome.OK) - flaggedOk).isEqualTo(s.okDrawn());
    assertThat(s.drawn()).hasSize(2_000);
    assertThat(s.okTotal() + s.failTotal() + s.flagged()).isEqualTo(RUN.ops().size());
    // In the history's order, and spread over the run rather than bunched at its start.
    assertThat(s.drawn())
        .isSortedAccordingTo((a, b) -> Long.compare(a.invokeNanos(), b.invokeNanos()));
    assertThat(okShareAfterOneMinute(s.drawn()))
        .isCloseTo(okShareAfterOneMinute(RUN.ops()), within(0.05));
  }

  private static double okShareAfterOneMinute(List<Op> ops) {
    List<Op> ok = ops.stream().filter(op -> op.outcome() == Outcome.OK).toList();
    return (double) ok.stream().filter(op -> op.invokeNanos() > 60e9).count() / ok.size();
  }

  @Test
  void theSampleIsTheSameEveryTime() {
    Sampler sampler = new Sampler(1_000, 5_000);
    assertThat(sampler.sample(RUN.ops(), FLAGGED).drawn())
        .isEqualTo(sampler.sample(List.copyOf(RUN.ops()), Set.copyOf(FLAGGED)).drawn());
  }

  @Test
  void keepsATenthOfTheThresholdOfSuccessesWhenFailuresFillIt() {
    Sampler.Sample s = new Sampler(500, 5_000).sample(RUN.ops(), FLAGGED);
    assertThat(s.failDrawn()).isEqualTo(s.failTotal()).isGreaterThan(500);
    assertThat(s.okDrawn()).isEqualTo(50);
  }

  @Test
  void samplesFailuresTooWhenTheyAloneExceedTheirCapButNeverFlaggedOps() {
    Sampler.Sample s = new Sampler(500, 200).sample(RUN.ops(), FLAGGED);
    assertThat(s.failDrawn()).isEqualTo(200).isLessThan(s.failTotal());
    assertThat(s.drawn().stream().map(Op::id).toList()).containsAll(FLAGGED);
    assertThat(s.drawn()).hasSize(200 + s.okDrawn() + FLAGGED.size());
    assertThat(TimelinePage.sampling(s))
        .contains("200 of the " + String.format("%,d", s.failTotal()));
  }

  @Test
  void thePageDrawsTheSampleAndSaysHowManyItDrew() throws Exception {
    Sampler sampler = new Sampler(2_000, 5_000);
    Sampler.Sample s = sampler.sample(RUN.ops(), FLAGGED);
    String html =
        TimelinePage.render(new TimelineInput("big", "VALID", RUN, FLAGGED, List.of()), sampler);

    Document doc = TimelinePageTest.parse(html);
    assertThat(TimelinePageTest.count(doc, TimelinePageTest.DOTS)).isEqualTo(2_000);
    assertThat(TimelinePageTest.count(doc, TimelinePageTest.RINGS)).isEqualTo(3);
    assertThat(TimelinePageTest.text(doc, "//p[@class='sampling']"))
        .startsWith("Drawn: 2,000 of 10,000 operations")
        .contains("every flagged one (3)")
        .contains(String.format("every failed or unknown one (%,d)", s.failTotal()))
        .contains(String.format("%,d of the %,d successful ones", s.okDrawn(), s.okTotal()));
  }
}
