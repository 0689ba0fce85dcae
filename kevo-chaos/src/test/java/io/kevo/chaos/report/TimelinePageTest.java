package io.kevo.chaos.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.kevo.chaos.history.Fault;
import io.kevo.chaos.history.History;
import io.kevo.chaos.history.Mop;
import io.kevo.chaos.history.Op;
import io.kevo.chaos.history.Outcome;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

class TimelinePageTest {
  @TempDir Path dir;

  static final String NASTY = "<script>&\"'";

  /** A failed put whose key, value and error hold markup and control characters. */
  static final long NASTY_ID = 1;

  static final String CHART = "//*[local-name()='svg' and @class='chart']";
  static final String DOTS = CHART + "//*[starts-with(@class,'op ')]";
  static final String RINGS = CHART + "//*[local-name()='circle' and @class='flag']";

  /** Every kind, outcome and target, once each, ids in that order. */
  static History everyKindOutcomeAndTarget() {
    List<Op> ops = new ArrayList<>();
    long id = 0;
    for (Op.Target target : Op.Target.values()) {
      for (Op.Kind kind : Op.Kind.values()) {
        for (Outcome outcome : Outcome.values()) {
          boolean ok = outcome == Outcome.OK;
          String key = id == NASTY_ID ? NASTY + "\u0000\n" : "k" + id;
          String value = id == NASTY_ID ? NASTY : "v" + id;
          List<Mop> mops =
              switch (kind) {
                case PUT -> List.of(Mop.put(key, value));
                case GET -> List.of(Mop.read(key, ok ? value : null));
                case DELETE -> List.of(Mop.delete(key));
                case TXN ->
                    List.of(
                        Mop.read(key, null),
                        Mop.read("k", ok ? "x" : null),
                        Mop.put(key, value),
                        Mop.delete("k"));
                case BATCH -> List.of(Mop.put(key, value), Mop.put("k", value + "b"));
              };
          long invoke = id * 500_000_000L;
          long latency = outcome == Outcome.UNKNOWN ? 1_000_000_000L : (id + 1) * 300_000L;
          String error = ok ? null : (id == NASTY_ID ? "UNAVAILABLE: " + NASTY : "ABORTED");
          ops.add(
              new Op(
                  id,
                  (int) id % 4,
                  target == Op.Target.PRIMARY ? "n1" : "n2",
                  target,
                  kind,
                  mops,
                  invoke,
                  invoke + latency,
                  outcome,
                  error,
                  ok ? id + 1 : 0,
                  ok ? 1 : 0,
                  0));
          id++;
        }
      }
    }
    List<Fault> faults =
        List.of(
            new Fault("kill", "n1", 1_000_000_000L, 3_000_000_000L, "restarted"),
            new Fault("partition", "n1->n2", 4_000_000_000L, 6_000_000_000L, NASTY),
            new Fault("failover", NASTY, 7_000_000_000L, 7_000_000_000L, ""));
    return new History(ops, faults, List.of());
  }

  static Document parse(String html) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setExpandEntityReferences(false);
    return f.newDocumentBuilder()
        .parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
  }

  static int count(Document doc, String xpath) throws Exception {
    return ((NodeList)
            XPathFactory.newInstance().newXPath().evaluate(xpath, doc, XPathConstants.NODESET))
        .getLength();
  }

  static String text(Document doc, String xpath) throws Exception {
    return XPathFactory.newInstance().newXPath().evaluate(xpath, doc);
  }

  @Test
  void drawsEveryOperationEachFaultAndTheFlaggedOnesAsWellFormedMarkup() throws Exception {
    History h = everyKindOutcomeAndTarget();
    Path file = dir.resolve("report/timeline.html");
    TimelinePage.write(
        file,
        new TimelineInput(
            "run <1>",
            "INVALID: lost write",
            h,
            Set.of(NASTY_ID, 14L, 999L),
            List.of("seed 42", NASTY)));

    String html = Files.readString(file);
    Document doc = parse(html);
    assertThat(count(doc, DOTS)).isEqualTo(h.ops().size());
    for (String outcome : List.of("ok", "fail", "unknown")) {
      for (String kind : List.of("put", "get", "delete", "txn", "batch")) {
        assertThat(count(doc, DOTS + "[@class='op " + outcome + " " + kind + "']"))
            .as(outcome + " " + kind)
            .isEqualTo(2);
      }
    }
    assertThat(count(doc, CHART + "//*[local-name()='rect' and @class='band']")).isEqualTo(3);
    assertThat(count(doc, RINGS)).isEqualTo(2);
    assertThat(count(doc, "//table[@class='flagged']/tbody/tr")).isEqualTo(2);
    assertThat(text(doc, "//table[@class='flagged']/tbody/tr[1]/td[1]")).isEqualTo("1");
    assertThat(text(doc, "//table[@class='flagged']/tbody/tr[2]/td[1]")).isEqualTo("14");
    assertThat(html).contains("Flagged but not in the history: 999");
    assertThat(count(doc, "//table[@class='faults']/tbody/tr")).isEqualTo(3);
    // Panels: writes and reads to the primary, reads and writes to a replica.
    assertThat(count(doc, "//*[@class='panel-title']")).isEqualTo(5);
    assertThat(text(doc, "//p[starts-with(@class,'verdict')]/@class")).isEqualTo("verdict invalid");
    assertThat(text(doc, "//p[@class='sampling']")).isEqualTo("All 30 operations are drawn.");
  }

  @Test
  void showsArbitraryTextVerbatimButInert() throws Exception {
    History h = everyKindOutcomeAndTarget();
    String html = render(h, Set.of(NASTY_ID));
    Document doc = parse(html);

    assertThat(html).doesNotContain(NASTY).doesNotContain("<script");
    assertThat(count(doc, "//script")).isZero();
    // The parsed text is the original, with the control characters shown as escapes.
    String hover = text(doc, DOTS + "[title[starts-with(., 'op 1 ')]]/title");
    assertThat(hover).contains("put " + NASTY + "\\u0000\\n = " + NASTY);
    assertThat(hover).contains("UNAVAILABLE: " + NASTY);
    assertThat(text(doc, "//table[@class='flagged']/tbody/tr[1]/td[6]"))
        .isEqualTo("put " + NASTY + "\\u0000\\n = " + NASTY);
    assertThat(text(doc, "//table[@class='faults']/tbody/tr[3]/td[2]")).isEqualTo(NASTY);
    assertThat(text(doc, "//ul[@class='notes']/li[2]")).isEqualTo(NASTY);
  }

  @Test
  void needsNothingFromOutsideTheFile() throws Exception {
    String html = render(everyKindOutcomeAndTarget(), Set.of());
    assertThat(html)
        .doesNotContain("http")
        .doesNotContain("src=")
        .doesNotContain("<link")
        .doesNotContain("url(")
        .doesNotContain("@import")
        .doesNotContain("<script");
  }

  @Test
  void closesOnlyVoidAndSvgElementsWithASlashSoHtmlParsersReadTheSameTree() {
    // An HTML parser reads <span/> as an open span: only these may be written empty.
    Set<String> allowed = Set.of("meta", "br", "circle", "rect", "path", "line");
    Matcher m =
        Pattern.compile("<([a-zA-Z]+)[^<>]*/>")
            .matcher(render(everyKindOutcomeAndTarget(), Set.of(1L)));
    while (m.find()) {
      assertThat(allowed).as(m.group()).contains(m.group(1));
    }
  }

  @Test
  void colorsTheVerdictByItsFirstWord() {
    assertThat(TimelinePage.verdictClass("VALID (3 checkers)")).isEqualTo("valid");
    assertThat(TimelinePage.verdictClass("VALID")).isEqualTo("valid");
    assertThat(TimelinePage.verdictClass("INVALID: lost write")).isEqualTo("invalid");
    assertThat(TimelinePage.verdictClass("VALIDITY UNKNOWN")).isEqualTo("other");
    assertThat(TimelinePage.verdictClass("UNKNOWN: checker timed out")).isEqualTo("other");
  }

  @Test
  void drawsAnEmptyRun() throws Exception {
    Document doc = parse(render(new History(List.of(), List.of(), List.of()), Set.of()));
    assertThat(count(doc, DOTS)).isZero();
    assertThat(text(doc, "//p[@class='sampling']")).isEqualTo("All 0 operations are drawn.");
  }

  static String render(History h, Set<Long> flagged) {
    return TimelinePage.render(
        new TimelineInput("t", "VALID", h, flagged, List.of("seed 1", NASTY)),
        new Sampler(Sampler.DEFAULT_THRESHOLD, Sampler.DEFAULT_FAIL_CAP));
  }
}
