/* An answer's text: written into the page as it streams (appending only), its [n] markers turned
 * into one marker per passage, numbered by source; and the same as plain text. */

import { el, footerDisclaimer, formatDate, quoteParts, safeUrl, sectionLabel } from "./dom.js";

/**
 * Writes streamed text into `root` by appending only: paragraphs (blank-line separated), "- "
 * bullet lines, and [n] markers, which become empty slots until the citations are known (then
 * one marker per passage is filled in). Text is kept in span.seg runs between markers, so that
 * an answer can be collapsed to its first passage without moving anything.
 */
export class StreamText {
  constructor(root) {
    this.root = root;
    this.buffer = "";
    this.block = null; // the <p> or <li> being written
    this.list = null; // the <ul> being written
    this.seg = null;
    this.lineStart = true;
    this.slots = []; // {node, n, block}
    this.blocks = []; // top-level <p> and <ul>, in order
  }

  feed(text) {
    this.buffer += text;
    this.drain(false);
  }

  end() {
    this.drain(true);
  }

  drain(final) {
    for (let nl = this.buffer.indexOf("\n"); nl !== -1; nl = this.buffer.indexOf("\n")) {
      const line = this.buffer.slice(0, nl);
      this.buffer = this.buffer.slice(nl + 1);
      this.line(line, true);
    }
    if (!this.buffer) return;
    let cut = this.buffer.length;
    if (!final) {
      // not yet known whether the line is a bullet, or whether "[1" is a marker: wait
      if (this.lineStart && /^\s*[-*•]?\s*$/.test(this.buffer)) return;
      const open = this.buffer.lastIndexOf("[");
      if (open !== -1 && /^\[\d*$/.test(this.buffer.slice(open))) cut = open;
    }
    const head = this.buffer.slice(0, cut);
    this.buffer = this.buffer.slice(cut);
    if (head) this.line(head, false);
  }

  line(text, complete) {
    if (this.lineStart) {
      if (!text.trim()) {
        if (complete) {
          this.block = null; // a blank line ends the paragraph
          this.list = null;
        }
        return;
      }
      this.lineStart = false;
      const bullet = /^\s*[-*•]\s+/.exec(text);
      if (bullet) {
        text = text.slice(bullet[0].length);
        if (!this.list) {
          this.list = el("ul", { class: "answer-list" });
          this.root.append(this.list);
          this.blocks.push(this.list);
        }
        this.block = el("li");
        this.list.append(this.block);
        this.seg = null;
      } else if (this.block && !this.list) {
        this.text(" "); // a single newline inside a paragraph reads as a space
      } else {
        this.list = null;
        this.block = el("p");
        this.root.append(this.block);
        this.blocks.push(this.block);
        this.seg = null;
      }
    }
    const pattern = /\[(\d+)\]/g;
    let last = 0;
    for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
      if (match.index > last) this.text(text.slice(last, match.index));
      const node = el("span", { class: "cite-slot" });
      this.block.append(node);
      this.slots.push({ node, n: Number(match[1]), block: this.block });
      this.seg = null;
      last = pattern.lastIndex;
    }
    if (last < text.length) this.text(text.slice(last));
    if (complete) this.lineStart = true;
  }

  text(part) {
    if (!this.seg) {
      this.seg = el("span", { class: "seg" });
      this.block.append(this.seg);
    }
    this.seg.append(part);
  }
}

/** Sources merged by page section: [{d, key, doc_id, title, section, url, reviewed, citations}]. */
export function groupCitations(citations) {
  const groups = [];
  const byKey = new Map();
  const displayOf = new Map();
  for (const citation of [...citations].sort((a, b) => a.n - b.n)) {
    const key = `${citation.doc_id}\u0000${citation.section}`;
    let group = byKey.get(key);
    if (!group) {
      group = { d: groups.length + 1, key, ...citation, citations: [] };
      groups.push(group);
      byKey.set(key, group);
    }
    group.citations.push(citation);
    displayOf.set(citation.n, group.d);
  }
  for (const group of groups) {
    const quotes = [];
    for (const c of group.citations) for (const part of quoteParts(c.quote)) if (!quotes.includes(part)) quotes.push(part);
    group.quote = quotes.join(" … ");
  }
  return { groups, displayOf };
}
/** An answer's text as the page shows it: markers renumbered by source, one per passage. */
export function displayText(text, displayOf) {
  return String(text || "")
    .split(/\n{2,}/)
    .map((paragraph) => {
      const markers = [...paragraph.matchAll(/ ?\[(\d+)\]/g)];
      let out = "";
      let last = 0;
      markers.forEach((match, i) => {
        out += paragraph.slice(last, match.index);
        last = match.index + match[0].length;
        const d = displayOf.get(Number(match[1]));
        const next = markers[i + 1];
        const between = next ? paragraph.slice(last, next.index) : "";
        const sameLine = !between.includes("\n");
        if (d === undefined) return;
        if (next && sameLine && displayOf.get(Number(next[1])) === d) return;
        out += ` [${d}]`;
      });
      return out + paragraph.slice(last);
    })
    .join("\n\n");
}

function sourceLine(group, withDate) {
  const url = safeUrl(group.url);
  const date = withDate && group.reviewed ? ` (page last reviewed ${formatDate(group.reviewed)})` : "";
  return `[${group.d}] ${group.title}${group.section ? ` — ${sectionLabel(group)}` : ""}${date}${url ? ` (${url})` : ""}`;
}

export function answerAsText(answer, withDates = false) {
  const citations = Array.isArray(answer.citations) ? answer.citations : [];
  const { groups, displayOf } = groupCitations(citations);
  const parts = [displayText(answer.text, displayOf)];
  if (groups.length) parts.push(`Sources:\n${groups.map((g) => sourceLine(g, withDates)).join("\n")}`);
  parts.push(answer.disclaimer || footerDisclaimer);
  return parts.join("\n\n");
}
