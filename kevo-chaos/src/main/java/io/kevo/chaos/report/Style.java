package io.kevo.chaos.report;

/**
 * The page's CSS, inline so that the page needs nothing else. It uses the platform's fonts only,
 * and holds no {@code <} or {@code &}, so it stays well-formed XML without a CDATA section.
 */
final class Style {
  private Style() {}

  static final String OK = "#2f6fb5";
  static final String FAIL = "#c2188f";
  static final String UNKNOWN = "#f08c00";
  static final String FLAG = "#e00000";

  static final String CSS =
      """
      body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;\
      margin:16px 24px;color:#222}
      h1{font-size:20px;margin:0 0 6px}
      h2{font-size:16px;margin:22px 0 6px}
      .verdict{font-weight:600;font-size:15px;padding:5px 10px;border-radius:4px;\
      display:inline-block;margin:4px 0}
      .verdict.valid{background:#e3f4e1;color:#1b6e20;border:1px solid #8bc48a}
      .verdict.invalid{background:#fde4e4;color:#a31515;border:1px solid #e59a9a}
      .verdict.other{background:#fff3d6;color:#8a5a00;border:1px solid #e6c36b}
      .notes{margin:4px 0;padding-left:18px;font:12px/1.35 ui-monospace,Menlo,Consolas,monospace;\
      color:#444}
      .summary{margin:6px 0 2px}
      .sampling{margin:2px 0;color:#555;font-size:13px}
      .warning{color:#8a5a00;font-weight:600}
      .legend{display:flex;flex-wrap:wrap;gap:4px 16px;font-size:12px;margin:10px 0 4px}
      .legend svg{vertical-align:middle;margin-right:4px}
      .legend .band{fill-opacity:.45}
      svg.chart{display:block;width:100%;max-width:1320px;height:auto}
      svg text{font-family:system-ui,sans-serif;font-size:11px;fill:#333}
      .tick{text-anchor:end;fill:#666}
      .tick.time{text-anchor:middle}
      .axis-title{text-anchor:middle;fill:#444}
      .panel-title{font-weight:600}
      .grid{stroke:#000;stroke-opacity:.08}
      .frame{fill:none;stroke:#bbb}
      .axis{stroke:#888}
      .lane{fill:#eee;fill-opacity:.6}
      .band{fill-opacity:.16}
      .band-label{font-weight:600}
      .op.ok{fill:%OK%;fill-opacity:.5}
      .op.fail{fill:%FAIL%;fill-opacity:.85}
      .op.unknown{fill:%UNKNOWN%;fill-opacity:.9}
      .op.key{fill:#666}
      .flag{fill:none;stroke:%FLAG%;stroke-width:2}
      .flag-label{fill:%FLAG%;font-weight:700;font-size:11px;stroke:#fff;stroke-width:3px;\
      paint-order:stroke}
      .bar.ok{fill:%OK%;fill-opacity:.75}
      .bar.fail{fill:%FAIL%}
      .bar.unknown{fill:%UNKNOWN%}
      table{border-collapse:collapse;font-size:12px;margin:4px 0 16px}
      caption{text-align:left;color:#555;padding:2px 0}
      th,td{border:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}
      th{background:#f4f4f4}
      td.num{text-align:right;font-variant-numeric:tabular-nums}
      td.mops{font-family:ui-monospace,Menlo,Consolas,monospace;max-width:420px;\
      overflow-wrap:anywhere}
      td.ok{color:%OK%}
      td.fail{color:%FAIL%}
      td.unknown{color:#b86800}
      .swatch{display:inline-block;width:10px;height:10px;margin-right:5px;vertical-align:middle}
      .footer{color:#777;font-size:12px}
      """
          .replace("%OK%", OK)
          .replace("%FAIL%", FAIL)
          .replace("%UNKNOWN%", UNKNOWN)
          .replace("%FLAG%", FLAG);
}
