package io.kevo.chaos.report;

import io.kevo.chaos.history.History;
import io.kevo.chaos.history.Op;
import io.kevo.chaos.history.Outcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes the timeline page of a chaos run: one self-contained HTML file (inline SVG and CSS, no
 * script, nothing fetched) that opens offline from a {@code file://} URL.
 *
 * <p>It shows the verdict and the notes; each operation's latency against the time it was invoked,
 * one panel per kind of operation and target, coloured by outcome, with the fault windows shaded
 * behind and the flagged operations ringed; the throughput per second by outcome; and tables of the
 * fault windows and of the flagged operations. Past {@value Sampler#DEFAULT_THRESHOLD} operations
 * the chart draws a deterministic sample of the successful ones (and says so); with the workload's
 * short keys and values, a page of a 500,000-operation run stays under 10 MB.
 *
 * <p>Stateless and thread-safe.
 */
public final class TimelinePage {
  private TimelinePage() {}

  /**
   * Writes the page to {@code file}, replacing it, creating its parent directories if needed.
   *
   * @throws IOException if the file cannot be written
   */
  public static void write(Path file, TimelineInput input) throws IOException {
    String html = render(input, new Sampler(Sampler.DEFAULT_THRESHOLD, Sampler.DEFAULT_FAIL_CAP));
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, html, StandardCharsets.UTF_8);
  }

  static String render(TimelineInput input, Sampler sampler) {
    History history = input.history();
    Sampler.Sample sample = sampler.sample(history.ops(), input.anomalyOpIds());
    FaultColors colors = new FaultColors(history.faults());
    Markup m = new Markup(new StringBuilder(1 << 20));

    m.raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n");
    m.text("title", input.title());
    m.open("style").raw(Style.CSS).close("style").close("head").open("body").raw("\n");
    m.text("h1", input.title());
    m.text("p", input.verdictLine(), "class", "verdict " + verdictClass(input.verdictLine()));
    if (!input.notes().isEmpty()) {
      m.open("ul", "class", "notes");
      input.notes().forEach(note -> m.text("li", note));
      m.close("ul");
    }
    m.text("p", summary(history, sample.flagged()), "class", "summary");
    m.text(
        "p",
        sampling(sample),
        "class",
        sample.failDrawn() < sample.failTotal() ? "sampling warning" : "sampling");
    Legend.draw(m, colors);
    TimelineChart.draw(m, history, sample, input.anomalyOpIds(), colors);
    Tables.flagged(m, history, input.anomalyOpIds());
    Tables.faults(m, history, colors);
    m.text(
        "p",
        "Hover over a dot, a band or a bar for its details. Times are seconds since the run began.",
        "class",
        "footer");
    m.close("body").close("html");
    return m.buffer().toString();
  }

  /** {@code valid}, {@code invalid} or {@code other}, by the verdict's first word. */
  static String verdictClass(String verdict) {
    if (startsWithWord(verdict, "VALID")) {
      return "valid";
    }
    if (startsWithWord(verdict, "INVALID")) {
      return "invalid";
    }
    return "other";
  }

  private static boolean startsWithWord(String s, String word) {
    return s.startsWith(word)
        && (s.length() == word.length() || !Character.isLetterOrDigit(s.charAt(word.length())));
  }

  private static String summary(History history, int flagged) {
    int[] outcomes = new int[3];
    long end = 0;
    for (Op op : history.ops()) {
      outcomes[OpText.index(op.outcome())]++;
      end = Math.max(end, op.completeNanos());
    }
    return String.format(
        Locale.ROOT,
        "%,d operations over %.1f s: %,d ok, %,d fail, %,d unknown \u00b7 %d fault windows"
            + " \u00b7 %,d flagged",
        history.ops().size(),
        end / 1e9,
        outcomes[OpText.index(Outcome.OK)],
        outcomes[OpText.index(Outcome.FAIL)],
        outcomes[OpText.index(Outcome.UNKNOWN)],
        history.faults().size(),
        flagged);
  }

  /** What the chart leaves out, in words. */
  static String sampling(Sampler.Sample s) {
    if (s.complete()) {
      return String.format(Locale.ROOT, "All %,d operations are drawn.", s.total());
    }
    String fails =
        s.failDrawn() == s.failTotal()
            ? String.format(Locale.ROOT, "every failed or unknown one (%,d)", s.failTotal())
            : String.format(
                Locale.ROOT,
                "%,d of the %,d failed or unknown ones (too many to draw them all; a deterministic"
                    + " sample)",
                s.failDrawn(),
                s.failTotal());
    return String.format(
        Locale.ROOT,
        "Drawn: %,d of %,d operations \u2014 every flagged one (%,d), %s, and %,d of the %,d"
            + " successful ones, a deterministic sample by a hash of their ids. The throughput"
            + " strip and the tables count every operation.",
        s.drawn().size(),
        s.total(),
        s.flagged(),
        fails,
        s.okDrawn(),
        s.okTotal());
  }
}
