// The stylesheet of the drawn views, shared by the report and the viewer page. Colours are always
// paired with text (a legend, a label, a tag), never the only carrier of a fact.

export const VIEW_CSS = `
:root { --ok:#2f8f4e; --fail:#c8364a; --info:#d98e04; --pending:#8a8a8a; --leader:#2f8f4e; --candidate:#d98e04;
  --precandidate:#f2cf6b; --follower:#8fbcdb; --down:#444; --paused:#b07cc6; --sel:#1d5fd1; --band:rgba(200,54,74,0.10); }
* { box-sizing: border-box; }
body { font: 13px/1.35 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #1b1b1b; background: #fafafa; }
main { padding: 8px 16px 40px; max-width: 1500px; }
h1 { font-size: 20px; margin: 8px 0; } h2 { font-size: 15px; margin: 18px 0 6px; border-bottom: 1px solid #ddd; }
section { background: #fff; border: 1px solid #e2e2e2; border-radius: 4px; padding: 8px 10px; margin: 10px 0; }
table { border-collapse: collapse; } td, th { padding: 2px 8px; text-align: left; border-bottom: 1px solid #eee; vertical-align: top; }
th { font-weight: 600; color: #444; }
.verdict-fail { color: var(--fail); font-weight: 700; } .verdict-pass { color: var(--ok); } .verdict-unknown { color: var(--info); }
.legend { display: flex; flex-wrap: wrap; gap: 12px; margin: 4px 0; font-size: 12px; }
.legend span.sw { display: inline-block; width: 12px; height: 12px; vertical-align: -2px; margin-right: 4px; border: 1px solid #0003; }
svg { display: block; user-select: none; } svg text { font-size: 11px; fill: #222; }
.axis text { fill: #555; } .lane-label { font-weight: 600; }
.op rect { stroke: #0005; stroke-width: 1; cursor: pointer; } .op.stuck rect { stroke: var(--fail); stroke-width: 3; }
.op.concurrent rect { stroke: var(--info); stroke-width: 2; stroke-dasharray: 4 2; }
.op.selected rect { stroke: var(--sel); stroke-width: 3; } .op text { pointer-events: none; font-size: 10px; }
.msg { stroke: #5a7fa8; stroke-width: 1; fill: none; } .msg.drop { stroke: var(--fail); stroke-dasharray: 3 2; }
.msg.flight { stroke: #999; stroke-dasharray: 2 3; } .msg.linked { stroke: var(--sel); stroke-width: 2.5; }
.cursor-line { stroke: #000; stroke-width: 1; stroke-dasharray: 4 3; pointer-events: none; }
.sel-band { fill: rgba(29,95,209,0.12); pointer-events: none; }
#tooltip { position: fixed; pointer-events: none; background: #222; color: #fff; padding: 4px 7px; border-radius: 3px;
  font-size: 12px; max-width: 520px; white-space: pre-wrap; z-index: 10; display: none; }
.notice { padding: 8px 12px; border-radius: 4px; margin: 10px 0; }
.notice.error { background: #fde8eb; border: 1px solid var(--fail); color: #7a1020; font-weight: 600; }
.nodes td.down { color: #a33; font-weight: 600; } .nodes tr.leader td.role { color: var(--leader); font-weight: 700; }
.mono { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12px; }
.scrub { display: flex; gap: 10px; align-items: center; } .scrub input[type=range] { flex: 1; }
.details { max-height: 260px; overflow: auto; } .hint { color: #666; font-size: 12px; }
.drop-zone { border: 2px dashed #999; border-radius: 6px; padding: 14px; text-align: center; color: #555; }
.drop-zone.over { border-color: var(--sel); background: #eef3fd; }
`;
