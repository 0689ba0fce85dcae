package io.kevo.chaos.report;

import io.kevo.chaos.history.Op;
import java.util.List;
import java.util.Locale;

/**
 * Operations completed per second, stacked by outcome (ok at the bottom, then fail, then unknown),
 * in buckets of one second or, for long runs, of a few seconds so that a bar stays at least a few
 * pixels wide. Counts every operation of the run, not the chart's sample.
 */
final class ThroughputStrip {
  static final double HEIGHT = 110;

  private static final int[] BUCKET_SECONDS = {1, 2, 5, 10, 15, 30, 60, 120, 300, 600};
  private static final String[] CLASSES = {"ok", "fail", "unknown"};

  private final int bucketSeconds;

  /** Per bucket: completions that were ok, fail, unknown. */
  private final int[][] counts;

  /**
   * @param ops every operation of the run
   * @param endSeconds the end of the chart's time axis
   * @param maxBuckets at most this many buckets
   */
  ThroughputStrip(List<Op> ops, double endSeconds, int maxBuckets) {
    int size = BUCKET_SECONDS[BUCKET_SECONDS.length - 1];
    for (int s : BUCKET_SECONDS) {
      if (endSeconds / s <= maxBuckets) {
        size = s;
        break;
      }
    }
    this.bucketSeconds = size;
    this.counts = new int[(int) Math.ceil(endSeconds / size) + 1][3];
    for (Op op : ops) {
      // Clamped: a history's times are since the run began, but a page must draw whatever it gets.
      long second = Math.max(op.completeNanos(), 0) / 1_000_000_000L;
      int b = (int) Math.min(second / size, counts.length - 1);
      counts[b][OpText.index(op.outcome())]++;
    }
  }

  int bucketSeconds() {
    return bucketSeconds;
  }

  /** Draws the strip with its top edge at {@code top}. */
  void draw(Markup svg, LinearScale x, double top) {
    double bottom = top + HEIGHT;
    double max = 0;
    for (int[] c : counts) {
      max = Math.max(max, (double) (c[0] + c[1] + c[2]) / bucketSeconds);
    }
    LinearScale y = new LinearScale(0, LinearScale.niceCeil(max, 4), bottom, top);
    svg.label(
        "Operations completed per second, by outcome"
            + (bucketSeconds == 1 ? "" : " (averaged over " + bucketSeconds + " s)"),
        "panel-title",
        x.from(),
        top - 6);
    for (double v : y.ticks(4)) {
      double ty = y.map(v);
      svg.line("grid", x.from(), ty, x.to(), ty);
      svg.label(String.format(Locale.ROOT, "%,.0f/s", v), "tick", x.from() - 6, ty + 4);
    }
    svg.open("g", "class", "throughput");
    for (int b = 0; b < counts.length; b++) {
      int[] c = counts[b];
      if (c[0] + c[1] + c[2] == 0) {
        continue;
      }
      double x0 = x.map((double) b * bucketSeconds);
      double x1 = Math.min(x.map((double) (b + 1) * bucketSeconds), x.to());
      double width = Math.max(x1 - x0 - (x1 - x0 > 3 ? 0.5 : 0), 0.5);
      svg.open("g").raw("<title>").raw(Text.markup(bucketHover(b, c))).raw("</title>");
      double base = 0;
      for (int k = 0; k < 3; k++) {
        if (c[k] == 0) {
          continue;
        }
        double y0 = y.map(base / bucketSeconds);
        base += c[k];
        double y1 = y.map(base / bucketSeconds);
        svg.rect("bar " + CLASSES[k], x0, y1, width, Math.max(y0 - y1, 0.5));
      }
      svg.close("g");
    }
    svg.close("g");
    svg.rect("frame", x.from(), top, x.to() - x.from(), HEIGHT);
  }

  private String bucketHover(int b, int[] c) {
    return String.format(
        Locale.ROOT,
        "%d\u2013%d s: ok %,d, fail %,d, unknown %,d",
        (long) b * bucketSeconds,
        (long) (b + 1) * bucketSeconds,
        c[0],
        c[1],
        c[2]);
  }
}
