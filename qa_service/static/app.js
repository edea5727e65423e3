/* Alike Wisdom web chat.
 *
 * Safety rules for this file: text from the library or the user is only ever put on the page with
 * textContent / append(string) / createElement, never as HTML; links to the outside are made only
 * from http(s) addresses (safeUrl); nothing is written to cookies, Web Storage or IndexedDB: the
 * conversation lives in the `history` array below and disappears with the page.
 *
 * Screen readers: an answer is written into its live region by appending only (StreamText), never
 * by rebuilding it, and the region is aria-busy until the answer is complete, so it is announced
 * once. Pieces are drawn once per animation frame, as fast as they arrive.
 */
"use strict";

(() => {
  const MAX_HISTORY_TURNS = 20; // qa_service.models.MAX_HISTORY_TURNS
  const MAX_TURN_CHARS = 8000; // ChatTurn.content max_length
  const REQUEST_TIMEOUT_MS = 90000;
  // An answer longer than its first passage by more than this many characters is collapsed to
  // that passage, with "Show more" (a follow-up answer ran to about four phone screens).
  const COLLAPSE_MIN_CHARS = 200;
  const TEXT_SIZES = [100, 112.5, 125, 150, 175]; // per cent; for the open page only
  const REASONS = [
    ["wrong", "Wrong"],
    ["unclear", "Unclear"],
    ["not_what_i_asked", "Not what I asked"],
    ["out_of_date", "Out of date"],
  ];

  const $ = (id) => document.getElementById(id);
  const data = document.body.dataset;
  const config = {
    emergencyNumber: data.emergencyNumber || "",
    emergencyTel: data.emergencyTel || "",
    helpLines: [
      { number: data.crisisLine || "", tel: data.crisisTel || "" },
      { number: data.poisonLine || "", tel: data.poisonTel || "" },
    ],
    unavailable: data.unavailable || "Sorry, we can't reach our library right now.",
    interrupted: data.interrupted || "Sorry, the answer stopped before it was complete.",
    keepsQuestions: data.keepsQuestions === "true",
  };
  const footerDisclaimer = ($("footer-disclaimer").textContent || "").replace(/\s+/g, " ").trim();

  const form = $("ask-form");
  const input = $("question");
  const sendButton = $("send");
  const newChatButton = $("new-chat");
  const messages = $("messages");
  const welcome = $("welcome");
  const statusRegion = $("status");
  const dialog = $("document-dialog");
  const dialogTitle = $("document-title");
  const dialogBody = $("document-body");
  const tools = $("conversation-tools");
  const undoBar = $("undo-bar");

  /** The conversation so far: [{role: "user"|"assistant", content}], in memory only. */
  let history = [];
  /** Every answered turn, for printing and saving: [{question, answer}], in memory only. */
  let transcript = [];
  let busy = false;
  let controller = null;
  /** The question being answered: {userItem, view}, while busy. */
  let inFlight = null;
  let turnCounter = 0;
  /** What "Start over" cleared, until the next question: {nodes, history, transcript}. */
  let cleared = null;
  /** doc_id -> Promise of the /v1/documents response, for this page view only. */
  const documents = new Map();

  // ---- small helpers ------------------------------------------------------------------------

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "class") node.className = value;
      else if (name === "text") node.textContent = value;
      else if (name === "hidden") node.hidden = true;
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children) {
      if (child !== null && child !== undefined && child !== false) node.append(child);
    }
    return node;
  }

  /** An absolute http(s) address, or null for anything else (javascript:, data:, garbage). */
  function safeUrl(address) {
    if (typeof address !== "string" || !address.trim()) return null;
    try {
      const url = new URL(address, window.location.href);
      return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
    } catch {
      return null;
    }
  }

  function externalLink(href, text) {
    return el("a", { href, target: "_blank", rel: "noopener noreferrer", class: "external" }, text);
  }

  function formatDate(iso) {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    if (!match) return iso || "";
    const date = new Date(Date.UTC(+match[1], +match[2] - 1, +match[3]));
    return new Intl.DateTimeFormat("en", { dateStyle: "long", timeZone: "UTC" }).format(date);
  }

  function reviewedTime(iso) {
    return el("time", { datetime: iso }, formatDate(iso));
  }


  function announce(text) {
    statusRegion.textContent = "";
    // a fresh text node so the same message is announced again
    window.setTimeout(() => {
      statusRegion.textContent = text;
    }, 50);
  }

  function parseJson(text) {
    try {
      return JSON.parse(text);
    } catch {
      return null;
    }
  }

  function quoteParts(quote) {
    return String(quote || "")
      .split(" … ")
      .map((part) => part.trim())
      .filter(Boolean);
  }

  function sectionLabel(citation) {
    return citation.section ? citation.section.split(" > ").join(" › ") : "";
  }

  // ---- Server-Sent Events over fetch (EventSource cannot POST) ------------------------------

  function parseEventBlock(block) {
    let name = "message";
    const lines = [];
    for (const line of block.split(/\r\n|\n|\r/)) {
      if (!line || line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon === -1 ? line : line.slice(0, colon);
      let value = colon === -1 ? "" : line.slice(colon + 1);
      if (value.startsWith(" ")) value = value.slice(1);
      if (field === "event") name = value;
      else if (field === "data") lines.push(value);
    }
    return lines.length ? { event: name, data: lines.join("\n") } : null;
  }

  async function* readEvents(response) {
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let match;
      while ((match = /\r\n\r\n|\n\n|\r\r/.exec(buffer))) {
        const event = parseEventBlock(buffer.slice(0, match.index));
        buffer = buffer.slice(match.index + match[0].length);
        if (event) yield event;
      }
    }
    buffer += decoder.decode();
    const last = parseEventBlock(buffer);
    if (last) yield last;
  }


  // ---- writing an answer as it streams ------------------------------------------------------

  /**
   * Writes streamed text into `root` by appending only: paragraphs (blank-line separated), "- "
   * bullet lines, and [n] markers, which become empty slots until the citations are known (then
   * one marker per passage is filled in). Text is kept in span.seg runs between markers, so that
   * an answer can be collapsed to its first passage without moving anything.
   */
  class StreamText {
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
  function groupCitations(citations) {
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

  // ---- one assistant answer -----------------------------------------------------------------

  class AnswerView {
    constructor(turn, question) {
      this.turn = turn;
      this.question = question;
      this.kind = null;
      this.text = "";
      this.fedNotice = 0;
      this.switched = false;
      this.groups = [];
      this.sourceItems = new Map();
      this.answer = null;
      this.queue = "";
      this.frame = 0;
      this.item = el("li", { class: "msg msg-assistant", "data-turn": turn });
      this.item.append(el("h2", { class: "visually-hidden" }, "Answer from our library"));
      this.card = el("div", { class: "answer-card" });
      this.pending = el(
        "p",
        { class: "pending" },
        el("span", { class: "pending-dots", "aria-hidden": "true" }),
        "Looking in our library…",
      );
      this.card.append(this.pending);
      this.item.append(this.card);
    }

    sourceId(d) {
      return `t${this.turn}-source-${d}`;
    }

    /** The first event: what kind of answer this is decides its look. */
    start(kind) {
      if (this.kind) return;
      this.kind = ["answer", "abstain", "urgent", "refer"].includes(kind) ? kind : "answer";
      this.item.dataset.kind = this.kind;
      this.pending.remove();
      if (this.kind === "urgent") {
        // role=alert: announced at once, assertively
        this.live = el("div", { class: "urgent-banner", role: "alert", "aria-busy": "true" });
        this.live.append(el("p", { class: "urgent-title" }, "This could be an emergency"));
        this.notice = el("div", { class: "urgent-text" });
        this.live.append(this.notice, this.callLinks());
        this.card.append(this.live);
        this.noticeStream = new StreamText(this.notice);
        return;
      }
      this.live = el("div", {
        class: "answer-content",
        "aria-live": "polite",
        "aria-atomic": "false",
        "aria-relevant": "additions text",
        "aria-busy": "true",
      });
      if (this.kind === "abstain" || this.kind === "refer") {
        const title =
          this.kind === "abstain" ? "Not covered by our library" : "Please ask your doctor or pharmacist";
        this.notice = el("div", { class: "notice-text" });
        this.noticeStream = new StreamText(this.notice);
        this.live.append(
          el("div", { class: `notice notice-${this.kind}` }, el("p", { class: "notice-title" }, title), this.notice),
        );
      }
      this.body = el("div", { class: "answer-text", id: `t${this.turn}-answer-text` });
      this.bodyStream = new StreamText(this.body);
      this.live.append(this.body);
      this.card.append(this.live);
    }

    callLinks() {
      const box = el("div", { class: "call-links" });
      const number = config.emergencyNumber;
      if (config.emergencyTel) {
        box.append(el("a", { class: "call-now", href: config.emergencyTel }, `Call ${number} now`));
      } else {
        box.append(el("p", { class: "call-now call-now-text" }, `Call ${number} now`));
      }
      this.extraLines = box;
      return box;
    }

    /** A streamed piece: queued, and drawn at the next animation frame with whatever else came. */
    append(piece) {
      if (!this.kind) this.start("answer");
      this.queue += piece;
      if (!this.frame) this.frame = window.requestAnimationFrame(() => this.flush());
    }

    flush() {
      if (this.frame) window.cancelAnimationFrame(this.frame);
      this.frame = 0;
      const piece = this.queue;
      this.queue = "";
      if (piece) this.write(piece);
    }

    /** Text goes to the notice (urgent, abstain, and a referral's first paragraph) or the body. */
    write(piece) {
      this.text += piece;
      if (this.kind === "urgent" || this.kind === "abstain") {
        this.noticeStream.feed(piece);
        return;
      }
      if (this.kind === "refer" && !this.switched) {
        const split = this.text.indexOf("\n\n");
        if (split === -1) {
          this.noticeStream.feed(this.text.slice(this.fedNotice));
          this.fedNotice = this.text.length;
          return;
        }
        if (split > this.fedNotice) this.noticeStream.feed(this.text.slice(this.fedNotice, split));
        this.noticeStream.end();
        this.switched = true;
        this.bodyStream.feed(this.text.slice(split + 2));
        return;
      }
      this.bodyStream.feed(piece);
    }

    /** The `done` event: the whole Answer, with its citations and disclaimer. */
    finish(answer) {
      this.answer = answer;
      if (!this.kind) this.start(answer.kind);
      this.flush();
      const full = typeof answer.text === "string" ? answer.text : this.text;
      if (full !== this.text) {
        if (full.startsWith(this.text)) {
          this.write(full.slice(this.text.length)); // pieces that never came: still appended
        } else {
          this.restart(); // the stream and the answer disagree: the answer wins
          this.write(full);
        }
      }
      if (this.noticeStream) this.noticeStream.end();
      if (this.bodyStream) this.bodyStream.end();
      const citations = (Array.isArray(answer.citations) ? answer.citations : []).filter(
        (c) => c && Number.isInteger(c.n),
      );
      const { groups, displayOf } = groupCitations(citations);
      this.groups = groups;
      this.fillMarkers(displayOf);
      this.markLeadIn();
      const more = this.collapse();
      if (more) this.card.append(more);
      if (this.kind === "urgent") this.addHelpLines();
      if (groups.length) this.card.append(this.sourcesList());
      if (more) this.collapseSources();
      this.followUps = el("div", { class: "follow-ups", hidden: true });
      this.card.append(this.followUps);
      this.card.append(this.actions());
      this.card.append(el("p", { class: "answer-disclaimer" }, answer.disclaimer || footerDisclaimer));
      this.live.setAttribute("aria-busy", "false");
      if (this.kind === "answer" || this.kind === "refer") suggestFollowUps(this);
    }

    restart() {
      this.text = "";
      this.fedNotice = 0;
      this.switched = false;
      if (this.notice) {
        this.notice.replaceChildren();
        this.noticeStream = new StreamText(this.notice);
      }
      if (this.body) {
        this.body.replaceChildren();
        this.bodyStream = new StreamText(this.body);
      }
    }

    /** One marker per passage: a run of sentences from one page section gets one marker, at its end. */
    fillMarkers(displayOf) {
      for (const stream of [this.noticeStream, this.bodyStream]) {
        if (!stream) continue;
        stream.slots.forEach((slot, i) => {
          const d = displayOf.get(slot.n);
          const next = stream.slots[i + 1];
          if (d === undefined) return;
          if (next && next.block === slot.block && displayOf.get(next.n) === d) return;
          const group = this.groups[d - 1];
          const link = el(
            "a",
            { class: "cite", href: `#${this.sourceId(d)}`, "aria-label": `Source ${d}: ${group.title}`, "data-n": d },
            el("span", { class: "cite-badge", "aria-hidden": "true" }, `[${d}]`),
          );
          link.addEventListener("click", (event) => {
            event.preventDefault();
            this.openSource(d, true);
          });
          slot.node.append(link);
          slot.filled = true;
        });
      }
    }

    /** "Here is what our library says about …:" introduces the quotes. */
    markLeadIn() {
      const blocks = this.bodyStream ? this.bodyStream.blocks : [];
      const first = blocks[0];
      if (first && blocks.length > 1 && first.tagName === "P" && /^[^\n[\]]{1,200}:$/.test(first.textContent.trim())) {
        first.classList.add("lead-in");
      }
    }

    /** Collapse a long answer to its first passage; returns the "Show more" button, if any. */
    collapse() {
      const stream = this.bodyStream;
      if (!stream) return null;
      const end = stream.slots.find((slot) => slot.filled);
      if (!end) return null;
      const later = [];
      let after = false;
      for (const node of end.block.childNodes) {
        if (after) later.push(node);
        if (node === end.node) after = true;
      }
      const top = end.block.tagName === "LI" ? end.block.parentElement : end.block;
      let past = false;
      for (const block of stream.blocks) {
        if (past) later.push(block);
        if (block === top) past = true;
      }
      if (end.block.tagName === "LI") {
        let sibling = end.block.nextElementSibling;
        for (; sibling; sibling = sibling.nextElementSibling) later.push(sibling);
      }
      const hiddenChars = later.reduce((sum, node) => sum + (node.textContent || "").length, 0);
      if (hiddenChars < COLLAPSE_MIN_CHARS) return null;
      for (const node of later) node.classList.add("more");
      this.body.classList.add("is-collapsed");
      this.card.classList.add("is-collapsed");
      const button = el(
        "button",
        { type: "button", class: "button button-quiet show-more", "aria-expanded": "false", "aria-controls": this.body.id },
        "Show more",
      );
      button.addEventListener("click", () => {
        const open = this.body.classList.toggle("is-collapsed") === false;
        this.card.classList.toggle("is-collapsed", !open);
        button.setAttribute("aria-expanded", open ? "true" : "false");
        button.textContent = open ? "Show less" : "Show more";
      });
      return el("div", { class: "show-more-row" }, button);
    }

    /** While collapsed, only the sources of the passage shown are listed. */
    collapseSources() {
      const shown = new Set();
      for (const link of this.body.querySelectorAll("a.cite")) {
        if (!link.closest(".more")) shown.add(Number(link.dataset.n));
      }
      for (const [d, entry] of this.sourceItems) if (!shown.has(d)) entry.item.classList.add("more");
    }

    /** Help lines (crisis, poison control) that the urgent message names get a call link too. */
    addHelpLines() {
      for (const line of config.helpLines) {
        if (line.number && line.tel && this.text.includes(line.number)) {
          this.extraLines.append(el("a", { class: "call-line", href: line.tel }, `Call ${line.number}`));
        }
      }
    }

    sourcesList() {
      const box = el("div", { class: "sources" });
      box.append(el("h3", { class: "sources-title" }, "Sources"));
      const list = el("ol", { class: "source-list" });
      for (const group of this.groups) {
        const detailId = `${this.sourceId(group.d)}-detail`;
        const toggle = el(
          "button",
          { type: "button", class: "button button-quiet source-toggle", "aria-expanded": "false", "aria-controls": detailId },
          "Show quote",
        );
        const read = el("button", { type: "button", class: "button button-quiet read-page" }, "Read the whole page");
        read.addEventListener("click", () => openDocument(group, read));
        const name = el(
          "p",
          { class: "source-name" },
          el("span", { class: "source-n" }, `[${group.d}]`),
          " ",
          el("span", { class: "source-title" }, group.title),
          group.section ? el("span", { class: "source-section" }, ` › ${sectionLabel(group)}`) : null,
          group.reviewed ? el("span", { class: "source-date" }, " (reviewed ", reviewedTime(group.reviewed), ")") : null,
          safeUrl(group.url) ? el("span", { class: "source-url" }, safeUrl(group.url)) : null,
        );
        const detail = el("div", { class: "source-detail", id: detailId, tabindex: "-1", hidden: true });
        const item = el(
          "li",
          { class: "source", id: this.sourceId(group.d) },
          name,
          el("div", { class: "source-buttons" }, toggle, read),
          detail,
        );
        toggle.addEventListener("click", () => this.openSource(group.d, false, true));
        this.sourceItems.set(group.d, { item, toggle, detail, filled: false });
        list.append(item);
      }
      box.append(list);
      return box;
    }

    /** Show source d's passage; from a marker, also scroll to it and move focus there. */
    openSource(d, fromMarker, toggle = false) {
      const entry = this.sourceItems.get(d);
      if (!entry) return;
      const open = entry.toggle.getAttribute("aria-expanded") === "true";
      if (toggle && open) {
        entry.toggle.setAttribute("aria-expanded", "false");
        entry.toggle.textContent = "Show quote";
        entry.detail.hidden = true;
        return;
      }
      if (!entry.filled) {
        this.fillSource(entry.detail, this.groups[d - 1]);
        entry.filled = true;
      }
      entry.toggle.setAttribute("aria-expanded", "true");
      entry.toggle.textContent = "Hide quote";
      entry.detail.hidden = false;
      if (fromMarker) {
        entry.item.classList.remove("flash");
        void entry.item.offsetWidth; // restart the highlight animation
        entry.item.classList.add("flash");
        entry.detail.focus({ preventScroll: true });
        entry.item.scrollIntoView({ block: "nearest" });
      }
    }

    fillSource(detail, group) {
      const quote = el("blockquote", { class: "source-quote" });
      for (const part of quoteParts(group.quote)) quote.append(el("p", null, part));
      detail.append(quote);
      const where = el("p", { class: "source-where" }, "From ", el("strong", null, group.title));
      if (group.section) where.append(`, section “${sectionLabel(group)}”`);
      detail.append(where);
      if (group.reviewed) {
        detail.append(el("p", { class: "source-reviewed" }, "Page last reviewed ", reviewedTime(group.reviewed)));
      }
      const links = el("div", { class: "source-links" }, el("span", { class: "muted" }, "Loading the source links…"));
      detail.append(links);
      loadDocument(group.doc_id).then(
        (doc) => links.replaceChildren(...sourceLinks(doc, group.url)),
        () => links.replaceChildren(el("span", { class: "muted" }, "The source links could not be loaded.")),
      );
    }

    actions() {
      const row = el("div", { class: "answer-actions" });
      if (this.kind === "answer" || this.kind === "refer") {
        const copy = el("button", { type: "button", class: "button button-quiet copy-answer" }, "Copy answer");
        copy.addEventListener("click", async () => {
          const ok = await copyText(answerAsText(this.answer));
          copy.textContent = ok ? "Copied" : "Copy failed";
          announce(ok ? "Answer copied." : "The answer could not be copied. Select the text to copy it.");
          window.setTimeout(() => {
            copy.textContent = "Copy answer";
          }, 2500);
        });
        row.append(copy);
      }
      row.append(feedbackBox(this));
      return row;
    }

    /** Replace whatever was shown with a friendly error, its disclaimer and a retry button. */
    fail(message, disclaimer, retry) {
      if (this.frame) window.cancelAnimationFrame(this.frame);
      this.frame = 0;
      this.card.replaceChildren();
      const box = el("div", { class: "error-box", role: "alert" });
      box.append(el("p", { class: "error-title" }, "No answer this time"));
      box.append(el("p", { class: "error-message" }, message));
      this.card.append(box);
      if (retry) {
        const again = el("button", { type: "button", class: "button button-secondary retry" }, "Try again");
        again.addEventListener("click", retry);
        this.card.append(el("div", { class: "answer-actions" }, again));
      }
      this.card.append(el("p", { class: "answer-disclaimer" }, disclaimer || footerDisclaimer));
      this.item.dataset.kind = "error";
    }
  }

  // ---- "Was this helpful?" (POST /v1/feedback) ----------------------------------------------

  function feedbackBox(view) {
    const box = el("div", { class: "feedback", role: "group", "aria-labelledby": `t${view.turn}-feedback-q` });
    const question = el("p", { class: "feedback-question", id: `t${view.turn}-feedback-q` }, "Was this answer helpful?");
    const yes = el("button", { type: "button", class: "button button-quiet feedback-yes", "aria-pressed": "false" }, "Helpful");
    const no = el("button", { type: "button", class: "button button-quiet feedback-no", "aria-pressed": "false" }, "Not helpful");
    const reasons = el("div", { class: "feedback-reasons", hidden: true });
    const status = el("p", { class: "feedback-status", role: "status" });
    const reasonButtons = [];
    const send = async (rating, reason) => {
      for (const button of [yes, no, ...reasonButtons]) button.disabled = true;
      const body = {
        rating,
        reason: reason || null,
        kind: view.kind,
        index_version: (view.answer && view.answer.index_version) || null,
        chunk_ids: view.groups.flatMap((g) => g.citations.map((c) => c.chunk_id)).filter(Boolean).slice(0, 20),
      };
      if (config.keepsQuestions) body.question = view.question;
      try {
        const response = await fetch("/v1/feedback", {
          method: "POST",
          headers: { "Content-Type": "application/json", Accept: "application/json" },
          body: JSON.stringify(body),
          cache: "no-store",
        });
        const reply = parseJson(await response.text());
        if (!response.ok) throw new Error((reply && reply.message) || `HTTP ${response.status}`);
        reasons.hidden = true;
        status.textContent = (reply && reply.message) || "Thank you: your feedback was saved.";
      } catch (error) {
        for (const button of [yes, no, ...reasonButtons]) button.disabled = false;
        status.textContent = "Sorry, your feedback could not be saved. Please try again.";
      }
    };
    yes.addEventListener("click", () => {
      yes.setAttribute("aria-pressed", "true");
      no.setAttribute("aria-pressed", "false");
      send("helpful", null);
    });
    no.addEventListener("click", () => {
      no.setAttribute("aria-pressed", "true");
      yes.setAttribute("aria-pressed", "false");
      reasons.hidden = false;
      status.textContent = "";
      reasonButtons[0].focus();
    });
    const reasonTitle = el("p", { class: "feedback-reasons-title", id: `t${view.turn}-feedback-why` }, "What was wrong with it? (optional)");
    const reasonList = el("div", { class: "feedback-reason-list", role: "group", "aria-labelledby": reasonTitle.id });
    for (const [code, label] of REASONS) {
      const button = el("button", { type: "button", class: "button button-quiet feedback-reason", "data-reason": code }, label);
      button.addEventListener("click", () => send("not_helpful", code));
      reasonButtons.push(button);
      reasonList.append(button);
    }
    const skip = el("button", { type: "button", class: "button button-quiet feedback-skip" }, "Send without a reason");
    skip.addEventListener("click", () => send("not_helpful", null));
    reasonButtons.push(skip);
    reasonList.append(skip);
    reasons.append(reasonTitle, reasonList);
    box.append(question, el("div", { class: "feedback-buttons" }, yes, no), reasons, status);
    return box;
  }

  // ---- suggested follow-ups, from the cited page's other sections ---------------------------

  /** Section heading -> a question about the page's topic. Made here, offline, from the page. */
  const FOLLOW_UPS = [
    [/^treatment/i, "How is {topic} treated?"],
    [/^signs|symptoms/i, "What are the symptoms of {topic}?"],
    [/^how is it diagnosed|^diagnosis/i, "How is {topic} diagnosed?"],
    [/^causes/i, "What causes {topic}?"],
    [/^outlook/i, "What is the outlook for {topic}?"],
    [/^side effects/i, "What are the side effects of {topic}?"],
    [/^how is it given/i, "How is {topic} given?"],
    [/^why is it used/i, "Why is {topic} used?"],
    [/^why is it done/i, "Why is {topic} done?"],
    [/^how to prepare/i, "How do I prepare for {topic}?"],
    [/^what to expect/i, "What should I expect from {topic}?"],
    [/^risks/i, "What are the risks of {topic}?"],
    [/^living with/i, "How can I live well with {topic}?"],
    [/^what is it\??$/i, "What is {topic}?"],
  ];

  function topicOf(title) {
    const match = /^(.*?)\s*\(([^)]*)\)\s*$/.exec(title || "");
    let topic = match ? (/^[A-Z0-9-]{2,10}$/.test(match[2]) ? match[2] : match[1]) : title || "";
    if (/^[A-Z][a-z]/.test(topic)) topic = topic[0].toLowerCase() + topic.slice(1);
    return topic.trim();
  }

  function followUpQuestions(doc, cited, asked) {
    const topic = topicOf(doc.title);
    const out = [];
    for (const [pattern, template] of FOLLOW_UPS) {
      const section = (doc.sections || []).find((s) => Number(s.level) === 2 && pattern.test(String(s.heading || "")));
      if (!section || cited.has(section.heading)) continue;
      const question = template.replace("{topic}", topic);
      if (!asked.has(question.toLowerCase())) out.push(question);
      if (out.length === 3) break;
    }
    return out;
  }

  async function suggestFollowUps(view) {
    const first = view.groups[0];
    if (!first) return;
    let doc;
    try {
      doc = await loadDocument(first.doc_id);
    } catch {
      return; // no suggestions is fine
    }
    if (!document.contains(view.item)) return;
    const cited = new Set(view.groups.filter((g) => g.doc_id === first.doc_id).map((g) => g.section.split(" > ")[0]));
    const asked = new Set(transcript.map((t) => t.question.toLowerCase()).concat(view.question.toLowerCase()));
    const questions = followUpQuestions(doc, cited, asked);
    if (questions.length < 2) return;
    const list = el("ul", { class: "follow-up-list" });
    for (const question of questions) {
      const button = el("button", { type: "button", class: "button button-secondary follow-up" }, question);
      button.addEventListener("click", (event) => {
        if (event.detail === 0) input.focus();
        ask(question);
      });
      list.append(el("li", null, button));
    }
    view.followUps.replaceChildren(el("h3", { class: "follow-ups-title" }, "You could also ask"), list);
    view.followUps.hidden = false;
  }
  function sourceLinks(doc, citationUrl) {
    const out = [];
    const page = safeUrl(citationUrl) || safeUrl(doc && doc.url);
    if (page) out.push(el("p", null, externalLink(page, "Open the original page")));
    const sources = doc && Array.isArray(doc.sources) ? doc.sources : [];
    const items = [];
    for (const source of sources) {
      if (!source) continue;
      const name = String(source.name || source.url || "Source");
      const href = safeUrl(source.url);
      items.push(el("li", null, href ? externalLink(href, name) : name));
    }
    if (items.length) {
      out.push(el("p", { class: "source-links-title" }, "Where this page's facts come from:"));
      out.push(el("ul", { class: "source-link-list" }, ...items));
    }
    if (!out.length) out.push(el("span", { class: "muted" }, "This page lists no source links."));
    return out;
  }


  /** An answer's text as the page shows it: markers renumbered by source, one per passage. */
  function displayText(text, displayOf) {
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

  function answerAsText(answer, withDates = false) {
    const citations = Array.isArray(answer.citations) ? answer.citations : [];
    const { groups, displayOf } = groupCitations(citations);
    const parts = [displayText(answer.text, displayOf)];
    if (groups.length) parts.push(`Sources:\n${groups.map((g) => sourceLine(g, withDates)).join("\n")}`);
    parts.push(answer.disclaimer || footerDisclaimer);
    return parts.join("\n\n");
  }

  // ---- keeping the conversation: print or save, download as text, start over with undo ------

  function today() {
    return new Intl.DateTimeFormat("en", { dateStyle: "long" }).format(new Date());
  }

  function transcriptText() {
    const lines = [`Alike Wisdom – questions and answers from our library`, `Saved on ${today()}`, ""];
    transcript.forEach((turn, i) => {
      lines.push(`Question ${i + 1}: ${turn.question}`, "", answerAsText(turn.answer, true), "", "-----", "");
    });
    lines.push(footerDisclaimer, "");
    return lines.join("\n");
  }

  $("print-conversation").addEventListener("click", () => {
    $("print-date").textContent = `Printed on ${today()}`;
    window.print(); // the print stylesheet shows every answer whole, with its sources
  });
  window.addEventListener("beforeprint", () => {
    $("print-date").textContent = `Printed on ${today()}`;
  });

  $("download-conversation").addEventListener("click", () => {
    const blob = new Blob([transcriptText()], { type: "text/plain;charset=utf-8" });
    const url = URL.createObjectURL(blob);
    const stamp = new Date().toISOString().slice(0, 10);
    const link = el("a", { href: url, download: `alike-wisdom-${stamp}.txt`, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    window.setTimeout(() => URL.revokeObjectURL(url), 10000);
    announce("The conversation was saved as a text file.");
  });

  // ---- text size: for the open page only (nothing is stored) --------------------------------

  let textSize = 0;
  function setTextSize(index) {
    textSize = Math.max(0, Math.min(TEXT_SIZES.length - 1, index));
    for (const size of TEXT_SIZES) document.documentElement.classList.remove(`text-${String(size).replace(".", "-")}`);
    document.documentElement.classList.add(`text-${String(TEXT_SIZES[textSize]).replace(".", "-")}`);
    $("text-smaller").disabled = textSize === 0;
    $("text-larger").disabled = textSize === TEXT_SIZES.length - 1;
    announce(`Text size ${TEXT_SIZES[textSize]} per cent.`);
  }
  $("text-smaller").addEventListener("click", () => setTextSize(textSize - 1));
  $("text-larger").addEventListener("click", () => setTextSize(textSize + 1));
  $("text-smaller").disabled = true;

  // ---- the composer's height, so that nothing scrolls in behind it ---------------------------

  if (window.ResizeObserver) {
    new ResizeObserver(() => {
      document.documentElement.style.setProperty("--composer-height", `${form.offsetHeight}px`);
    }).observe(form);
  }
  async function copyText(text) {
    try {
      if (navigator.clipboard && window.isSecureContext) {
        await navigator.clipboard.writeText(text);
        return true;
      }
    } catch {
      // fall through to the selection-based copy
    }
    const area = el("textarea", { class: "copy-buffer", readonly: true, "aria-hidden": "true" });
    area.value = text;
    document.body.append(area);
    area.select();
    let ok = false;
    try {
      ok = document.execCommand("copy");
    } catch {
      ok = false;
    }
    area.remove();
    return ok;
  }

  // ---- the whole page of a source (/v1/documents/{id}) --------------------------------------

  function loadDocument(docId) {
    if (!documents.has(docId)) {
      const request = fetch(`/v1/documents/${encodeURIComponent(docId)}`, {
        headers: { Accept: "application/json" },
        cache: "no-store",
      }).then(async (response) => {
        const body = parseJson(await response.text());
        if (!response.ok || !body || typeof body !== "object") {
          throw new Error((body && body.message) || `HTTP ${response.status}`);
        }
        return body;
      });
      request.catch(() => documents.delete(docId));
      documents.set(docId, request);
    }
    return documents.get(docId);
  }

  const normalise = (text) => text.replace(/\*\*/g, "").replace(/\s+/g, " ").trim();

  /** Append `raw` (one block of Markdown-ish text) with **bold** and the cited quote marked. */
  function appendInline(parent, raw, quotes) {
    // characters without the ** markers, each remembering whether it is bold
    const chars = [];
    let bold = false;
    const pieces = raw.replace(/\s+/g, " ").split("**");
    pieces.forEach((piece, i) => {
      if (i > 0) bold = !bold;
      for (const ch of piece) chars.push({ ch, bold });
    });
    if (bold) chars.forEach((c) => (c.bold = false)); // unbalanced: no bold at all
    const plain = chars.map((c) => c.ch).join("");
    const marked = new Array(chars.length).fill(false);
    let found = false;
    for (const quote of quotes) {
      let at = plain.indexOf(quote);
      while (quote && at !== -1) {
        for (let i = at; i < at + quote.length; i++) marked[i] = true;
        found = true;
        at = plain.indexOf(quote, at + quote.length);
      }
    }
    let i = 0;
    while (i < chars.length) {
      let j = i;
      while (j < chars.length && chars[j].bold === chars[i].bold && marked[j] === marked[i]) j++;
      let node = document.createTextNode(plain.slice(i, j));
      if (chars[i].bold) node = el("strong", null, node);
      if (marked[i]) node = el("mark", { class: "cited-quote" }, node);
      parent.append(node);
      i = j;
    }
    return found;
  }

  /** Minimal, safe rendering of a section's text: paragraphs, - and 1. lists, | tables. */
  function renderBlocks(container, text, quotes) {
    let para = null;
    let list = null;
    let table = null;
    let found = false;
    const close = () => {
      para = null;
      list = null;
      table = null;
    };
    const paraLines = [];
    const flushPara = () => {
      if (paraLines.length) {
        const p = el("p");
        found = appendInline(p, paraLines.join(" "), quotes) || found;
        container.append(p);
        paraLines.length = 0;
      }
    };
    for (const line of text.split(/\r?\n/)) {
      const trimmed = line.trim();
      const bullet = /^[-*+]\s+(.*)$/.exec(trimmed);
      const numbered = /^\d+[.)]\s+(.*)$/.exec(trimmed);
      const row = /^\|(.*)\|$/.exec(trimmed);
      const heading = /^#{1,6}\s+(.*)$/.exec(trimmed);
      if (!trimmed) {
        flushPara();
        close();
      } else if (bullet || numbered) {
        flushPara();
        const tag = bullet ? "ul" : "ol";
        if (!list || list.tagName.toLowerCase() !== tag) {
          close();
          list = el(tag);
          container.append(list);
        }
        const item = el("li");
        found = appendInline(item, (bullet || numbered)[1], quotes) || found;
        list.append(item);
      } else if (row) {
        flushPara();
        const cells = row[1].split("|").map((cell) => cell.trim());
        if (cells.every((cell) => /^:?-{2,}:?$/.test(cell))) continue; // the | --- | line
        if (!table) {
          close();
          table = { head: true, body: el("tbody") };
          const wrap = el("div", { class: "table-wrap" }, el("table", null, table.body));
          container.append(wrap);
        }
        const tr = el("tr");
        for (const cell of cells) {
          const td = el(table.head ? "th" : "td", table.head ? { scope: "col" } : null);
          found = appendInline(td, cell, quotes) || found;
          tr.append(td);
        }
        table.body.append(tr);
        table.head = false;
      } else if (heading) {
        flushPara();
        close();
        const p = el("p", { class: "inline-heading" });
        appendInline(p, heading[1], quotes);
        container.append(p);
      } else {
        list = null;
        table = null;
        paraLines.push(trimmed);
      }
    }
    flushPara();
    return found;
  }

  let dialogOpener = null;

  async function openDocument(citation, opener) {
    dialogOpener = opener;
    dialogTitle.textContent = citation.title;
    dialogBody.replaceChildren(el("p", { class: "muted" }, "Loading the page…"));
    if (!dialog.open) dialog.showModal();
    let doc;
    try {
      doc = await loadDocument(citation.doc_id);
    } catch (error) {
      dialogBody.replaceChildren(
        el("p", { class: "error-message", role: "alert" }, "Sorry, this page could not be loaded. Please try again."),
        el("p", { class: "answer-disclaimer" }, footerDisclaimer),
      );
      return;
    }
    dialogTitle.textContent = doc.title || citation.title;
    const parts = [];
    if (doc.reviewed) parts.push(el("p", { class: "document-reviewed" }, "Page last reviewed ", reviewedTime(doc.reviewed)));
    if (doc.summary) parts.push(el("p", { class: "document-summary" }, doc.summary));
    const quotes = quoteParts(citation.quote).map(normalise);
    const citedHeading = citation.section ? citation.section.split(" > ").pop() : null;
    let target = null;
    const sections = Array.isArray(doc.sections) && doc.sections.length
      ? doc.sections
      : [{ heading: "", level: 2, text: String(doc.text || "") }];
    for (const section of sections) {
      const box = el("section", { class: "document-section" });
      if (section.heading && section.heading !== doc.title) {
        const level = Math.min(6, Math.max(3, Number(section.level) + 1 || 3));
        box.append(el(`h${level}`, { class: "document-heading" }, section.heading));
      }
      const found = renderBlocks(box, String(section.text || ""), quotes);
      const isCited = citedHeading !== null && section.heading === citedHeading;
      if (found || isCited) {
        box.classList.add("cited-section");
        if (!target || (found && !target.found)) target = { box, found };
      }
      parts.push(box);
    }
    const links = sourceLinks(doc, citation.url);
    parts.push(el("div", { class: "document-sources" }, el("h3", null, "Sources"), ...links));
    parts.push(el("p", { class: "answer-disclaimer" }, doc.disclaimer || footerDisclaimer));
    dialogBody.replaceChildren(...parts);
    if (target) {
      target.box.insertBefore(el("p", { class: "cited-label" }, "The passage quoted in the answer"), target.box.firstChild);
      const mark = target.box.querySelector("mark") || target.box;
      mark.scrollIntoView({ block: "center" });
    }
  }

  $("document-close").addEventListener("click", () => dialog.close());
  dialog.addEventListener("click", (event) => {
    if (event.target === dialog) dialog.close(); // a click on the backdrop
  });
  dialog.addEventListener("close", () => {
    if (dialogOpener && document.contains(dialogOpener)) dialogOpener.focus();
    dialogOpener = null;
  });

  // ---- asking -------------------------------------------------------------------------------

  // ---- asking -------------------------------------------------------------------------------

  function setBusy(value) {
    busy = value;
    sendButton.disabled = value;
    sendButton.textContent = value ? "Asking…" : "Ask";
    form.setAttribute("aria-busy", value ? "true" : "false");
  }

  const placeholder = input.getAttribute("placeholder") || "";
  function inConversation(value) {
    input.setAttribute("placeholder", value ? "Ask a follow-up question" : placeholder);
    welcome.hidden = value;
    newChatButton.hidden = !value;
    document.body.classList.toggle("in-conversation", value);
  }

  function addUserMessage(question) {
    const item = el(
      "li",
      { class: "msg msg-user" },
      el("h2", { class: "visually-hidden" }, "You asked"),
      el("p", { class: "bubble" }, question),
    );
    messages.append(item);
    return item;
  }

  async function errorFromResponse(response) {
    const body = parseJson(await response.text().catch(() => ""));
    if (body && typeof body.message === "string" && body.message.trim()) {
      return { message: body.message, disclaimer: typeof body.disclaimer === "string" ? body.disclaimer : "" };
    }
    return { message: config.unavailable, disclaimer: "" };
  }

  function forgetCleared() {
    cleared = null;
    undoBar.hidden = true;
  }

  async function ask(rawQuestion) {
    const question = rawQuestion.trim();
    if (busy) return;
    if (!question) {
      announce("Please type a question first.");
      input.focus();
      return;
    }
    forgetCleared();
    performance.clearMarks("wisdom:send");
    performance.mark("wisdom:send");
    setBusy(true);
    inConversation(true);
    const turn = ++turnCounter;
    const userItem = addUserMessage(question);
    const view = new AnswerView(turn, question);
    inFlight = { userItem, view };
    messages.append(view.item);
    // the question at the top of the screen; the answer is written below it
    userItem.scrollIntoView({ block: "start" });
    const retry = () => {
      userItem.remove();
      view.item.remove();
      ask(question);
    };
    const request = new AbortController();
    controller = request;
    let timedOut = false;
    const timer = window.setTimeout(() => {
      timedOut = true;
      request.abort();
    }, REQUEST_TIMEOUT_MS);
    let answer = null;
    try {
      const response = await fetch("/v1/ask/stream", {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
        body: JSON.stringify({ question, history: history.slice(-MAX_HISTORY_TURNS) }),
        cache: "no-store",
        signal: request.signal,
      });
      const type = response.headers.get("content-type") || "";
      if (!response.ok || !type.startsWith("text/event-stream")) {
        const error = await errorFromResponse(response);
        view.fail(error.message, error.disclaimer, retry);
        return;
      }
      let failed = false;
      for await (const event of readEvents(response)) {
        const payload = parseJson(event.data);
        if (!payload || typeof payload !== "object") continue;
        if (event.event === "meta") {
          view.start(payload.kind);
        } else if (event.event === "delta" && typeof payload.text === "string") {
          view.append(payload.text);
        } else if (event.event === "done") {
          answer = payload;
          view.finish(payload);
        } else if (event.event === "error") {
          failed = true;
          view.fail(
            typeof payload.message === "string" ? payload.message : config.unavailable,
            typeof payload.disclaimer === "string" ? payload.disclaimer : "",
            retry,
          );
          break;
        }
      }
      if (!answer && !failed) view.fail(config.interrupted, "", retry);
    } catch (error) {
      if (request.signal.aborted && !timedOut) return; // "Start over" while waiting
      view.fail(config.unavailable, "", retry);
    } finally {
      window.clearTimeout(timer);
      if (controller === request) {
        controller = null;
        inFlight = null;
        setBusy(false);
      }
    }
    if (answer) {
      history.push({ role: "user", content: question.slice(0, MAX_TURN_CHARS) });
      history.push({ role: "assistant", content: String(answer.text || "").slice(0, MAX_TURN_CHARS) });
      history = history.slice(-MAX_HISTORY_TURNS);
      transcript.push({ question, answer });
      tools.hidden = false;
      if (view.kind === "urgent") view.item.scrollIntoView({ block: "nearest" });
      // the answer is on the screen at the next frame: measured from the send, for the tests
      window.requestAnimationFrame(() => {
        performance.clearMeasures("wisdom:answer-on-screen");
        performance.measure("wisdom:answer-on-screen", "wisdom:send");
      });
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (busy) return;
    const question = input.value;
    if (!question.trim()) {
      announce("Please type a question first.");
      input.focus();
      return;
    }
    input.value = "";
    ask(question);
  });

  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.ctrlKey && !event.altKey && !event.metaKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  for (const button of document.querySelectorAll(".starter")) {
    button.addEventListener("click", (event) => {
      // from the keyboard, carry on in the question box (a tap should not pop up the keyboard)
      if (event.detail === 0) input.focus();
      ask(button.textContent || "");
    });
  }

  /** Start over: the conversation is cleared at once, and can be brought back until the next question. */
  newChatButton.addEventListener("click", () => {
    if (controller) controller.abort();
    controller = null;
    setBusy(false);
    // an unanswered question is not brought back by Undo
    const unanswered = inFlight ? [inFlight.userItem, inFlight.view.item] : [];
    inFlight = null;
    const nodes = [...messages.children].filter((node) => !unanswered.includes(node));
    cleared = { nodes, history, transcript };
    history = [];
    transcript = [];
    messages.replaceChildren();
    if (dialog.open) dialog.close();
    inConversation(false);
    tools.hidden = true;
    input.value = "";
    undoBar.hidden = false;
    input.focus();
    announce("Started a new conversation. The previous one was cleared: choose Undo to bring it back.");
  });

  $("undo-clear").addEventListener("click", () => {
    if (!cleared) return;
    messages.replaceChildren(...cleared.nodes);
    history = cleared.history;
    transcript = cleared.transcript;
    forgetCleared();
    inConversation(true);
    tools.hidden = transcript.length === 0;
    input.focus();
    announce("Your conversation is back.");
  });

  if (!config.emergencyTel) {
    for (const link of document.querySelectorAll(".emergency-call")) link.removeAttribute("href");
  }
})();
