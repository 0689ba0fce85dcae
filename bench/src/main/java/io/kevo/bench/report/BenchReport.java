package io.kevo.bench.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one shape every benchmark reports in. A benchmark fills in how it ran (its command line and
 * configuration; the date and the machine are added here), its result sections in order — each a
 * block of console text and the JSON it stands for — and its bars; this class prints them and
 * writes the JSON, so that every report reads the same way:
 *
 * <pre>
 * {"benchmark", "date", "command", "machine", "config",
 *  "results": {section name: section JSON, ...},
 *  "bars": [{@link Bar#toJson() bar}, ...], "bars_met": true | false | null}
 * </pre>
 *
 * {@code bars_met} is null when a bar could not be judged (its figure was not measured), or when
 * the benchmark has no bar. Immutable once built.
 */
public final class BenchReport {
  /** A result section: its console text (may be empty) and its JSON (may be null). */
  private record Section(String name, String text, Object json) {}

  private final String benchmark;
  private final String command;
  private final Map<String, Object> config;
  private final String title;
  private final List<Section> sections;
  private final List<Bar> bars;
  private final List<String> notes;

  private BenchReport(Builder b) {
    this.benchmark = b.benchmark;
    this.command = b.command;
    this.config = b.config;
    this.title = b.title;
    this.sections = List.copyOf(b.sections);
    this.bars = List.copyOf(b.bars);
    this.notes = List.copyOf(b.notes);
  }

  /**
   * Starts the report of {@code benchmark}, run as {@code command} with {@code config} (the JSON's
   * {@code config}: parameters and the definitions of its figures).
   */
  public static Builder of(String benchmark, String command, Map<String, Object> config) {
    return new Builder(benchmark, command, config);
  }

  public List<Bar> bars() {
    return bars;
  }

  /** True if every bar is met, false if one is missed, null if one was not measured or none. */
  public Boolean barsMet() {
    if (bars.isEmpty()) {
      return null;
    }
    boolean all = true;
    for (Bar b : bars) {
      Boolean met = b.met();
      if (met == null) {
        return null;
      }
      all &= met;
    }
    return all;
  }

  /** The console text: the title, every section, the bars, then the notes. */
  public String text() {
    String nl = System.lineSeparator();
    StringBuilder out = new StringBuilder(nl).append(title).append(nl);
    for (Section s : sections) {
      if (!s.text().isEmpty()) {
        out.append(nl).append(s.text());
        if (!s.text().endsWith(nl)) {
          out.append(nl);
        }
      }
    }
    if (!bars.isEmpty()) {
      out.append(nl).append("Bars:").append(nl);
      bars.forEach(b -> out.append("  ").append(b.line()).append(nl));
    }
    if (!notes.isEmpty()) {
      out.append(nl);
      notes.forEach(n -> out.append(n).append(nl));
    }
    return out.toString();
  }

  /** The JSON document, in the shape of the class comment. */
  public Map<String, Object> json() {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("benchmark", benchmark);
    root.put("date", Instant.now().toString());
    root.put("command", command);
    root.put("machine", MachineInfo.describe());
    root.put("config", config);
    Map<String, Object> results = new LinkedHashMap<>();
    sections.forEach(s -> results.put(s.name(), s.json()));
    root.put("results", results);
    root.put("bars", bars.stream().map(Bar::toJson).toList());
    root.put("bars_met", barsMet());
    return root;
  }

  /** Fills a report in; used by one thread, then {@link #build()}. */
  public static final class Builder {
    private final String benchmark;
    private final String command;
    private final Map<String, Object> config;
    private String title;
    private final List<Section> sections = new ArrayList<>();
    private final List<Bar> bars = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    private Builder(String benchmark, String command, Map<String, Object> config) {
      this.benchmark = benchmark;
      this.command = command;
      this.config = config;
      this.title = benchmark;
    }

    /** The console's first line: what ran, in one sentence. */
    public Builder title(String title) {
      this.title = title;
      return this;
    }

    /** A result section: {@code text} on the console, {@code json} under {@code results.name}. */
    public Builder section(String name, String text, Object json) {
      sections.add(new Section(name, text == null ? "" : text, json));
      return this;
    }

    public Builder bar(Bar bar) {
      bars.add(bar);
      return this;
    }

    /** A line printed after the bars (how the figures were taken). */
    public Builder note(String note) {
      notes.add(note);
      return this;
    }

    public BenchReport build() {
      return new BenchReport(this);
    }
  }
}
