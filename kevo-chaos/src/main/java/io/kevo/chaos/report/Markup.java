package io.kevo.chaos.report;

/**
 * Appends elements (SVG, or HTML written as well-formed XML) to a buffer, escaping every attribute
 * value and text. Attributes are given as name, value pairs. Not thread-safe: one writer per
 * buffer.
 */
final class Markup {
  private final StringBuilder out;

  Markup(StringBuilder out) {
    this.out = out;
  }

  StringBuilder buffer() {
    return out;
  }

  Markup open(String tag, String... attrs) {
    start(tag, attrs);
    out.append('>');
    return this;
  }

  Markup close(String tag) {
    out.append("</").append(tag).append(">\n");
    return this;
  }

  /**
   * An element without content: {@code <tag a="v"/>}. For SVG elements and HTML's void elements
   * ({@code br}, {@code meta}) only: an HTML parser reads {@code <span/>} as an open span.
   */
  Markup empty(String tag, String... attrs) {
    start(tag, attrs);
    out.append("/>\n");
    return this;
  }

  /**
   * An element whose only content is a hover box; {@code title} must already be {@linkplain
   * Text#visible visible} text (it may hold line breaks of our own).
   */
  Markup titled(String tag, String title, String... attrs) {
    start(tag, attrs);
    out.append("><title>").append(Text.markup(title)).append("</title></").append(tag);
    out.append(">\n");
    return this;
  }

  /** An element holding text, escaped. */
  Markup text(String tag, String text, String... attrs) {
    start(tag, attrs);
    out.append('>').append(Text.esc(text)).append("</").append(tag).append(">\n");
    return this;
  }

  /**
   * An SVG {@code line} of CSS class {@code cls} from ({@code x1}, {@code y1}) to ({@code x2},
   * {@code y2}), in pixels.
   */
  Markup line(String cls, double x1, double y1, double x2, double y2) {
    return empty(
        "line",
        "class",
        cls,
        "x1",
        Text.px(x1),
        "x2",
        Text.px(x2),
        "y1",
        Text.px(y1),
        "y2",
        Text.px(y2));
  }

  /**
   * An SVG {@code rect} of CSS class {@code cls}, its top left corner at ({@code x}, {@code y}).
   */
  Markup rect(String cls, double x, double y, double width, double height) {
    return empty(
        "rect",
        "class",
        cls,
        "x",
        Text.px(x),
        "y",
        Text.px(y),
        "width",
        Text.px(width),
        "height",
        Text.px(height));
  }

  /** An SVG {@code text} of CSS class {@code cls} anchored at ({@code x}, {@code y}). */
  Markup label(String text, String cls, double x, double y) {
    return text("text", text, "class", cls, "x", Text.px(x), "y", Text.px(y));
  }

  /** Markup that needs no escaping, written as it is (fixed CSS, say). */
  Markup raw(String markup) {
    out.append(markup);
    return this;
  }

  private void start(String tag, String... attrs) {
    if (attrs.length % 2 != 0) {
      throw new IllegalArgumentException("attributes come in name, value pairs");
    }
    out.append('<').append(tag);
    for (int i = 0; i < attrs.length; i += 2) {
      out.append(' ').append(attrs[i]).append("=\"").append(Text.esc(attrs[i + 1])).append('"');
    }
  }
}
