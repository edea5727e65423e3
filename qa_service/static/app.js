/* Alike Wisdom web chat.
 *
 * Safety rules for this file: text from the library or the user is only ever put on the page with
 * textContent / append(string) / createElement, never as HTML; links to the outside are made only
 * from http(s) addresses (safeUrl); nothing is written to cookies, Web Storage or IndexedDB: the
 * conversation lives in the `history` array below and disappears with the page.
 */
"use strict";

(() => {
  const MAX_HISTORY_TURNS = 20; // qa_service.models.MAX_HISTORY_TURNS
  const MAX_TURN_CHARS = 8000; // ChatTurn.content max_length
  const DELTA_PAUSE_MS = 25; // let each streamed piece paint before the next
  const REQUEST_TIMEOUT_MS = 90000;

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

  /** The conversation so far: [{role: "user"|"assistant", content}], in memory only. */
  let history = [];
  let busy = false;
  let controller = null;
  let turnCounter = 0;
  /** doc_id -> Promise of the /v1/documents response, for this page view only. */
  const documents = new Map();

  // ---- small helpers ------------------------------------------------------------------------

  /** createElement with attributes (names are constants in this file) and text/element children. */
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

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

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

  // ---- rendering text with [n] markers ------------------------------------------------------

  /** Append `text` to `parent`, turning [n] into links to the answer's source n. */
  function appendWithMarkers(parent, text, view) {
    const pattern = /\[(\d+)\]/g;
    let last = 0;
    let match;
    while ((match = pattern.exec(text))) {
      if (match.index > last) parent.append(text.slice(last, match.index));
      const n = Number(match[1]);
      const citation = view.citations.get(n);
      if (citation) {
        const link = el(
          "a",
          {
            class: "cite",
            href: `#${view.sourceId(n)}`,
            "aria-label": `Source ${n}: ${citation.title}`,
            "data-n": n,
          },
          `[${n}]`,
        );
        link.addEventListener("click", (event) => {
          event.preventDefault();
          view.openSource(n, true);
        });
        parent.append(link);
      } else {
        parent.append(el("span", { class: "cite cite-pending" }, `[${n}]`));
      }
      last = pattern.lastIndex;
    }
    if (last < text.length) parent.append(text.slice(last));
  }

  /** Paragraphs (blank-line separated) and "- " bullet lines of an answer, with markers. */
  function renderAnswerText(container, text, view) {
    container.replaceChildren();
    const paragraphs = text.split(/\n{2,}/);
    paragraphs.forEach((paragraph, index) => {
      // "Here is what our library says about …:" introduces the quotes
      if (index === 0 && paragraphs.length > 1 && /^[^\n[\]]{1,200}:$/.test(paragraph.trim())) {
        container.append(el("p", { class: "lead-in" }, paragraph.trim()));
        return;
      }
      renderParagraph(container, paragraph, view);
    });
  }

  function renderParagraph(container, paragraph, view) {
    if (!paragraph.trim()) return;
    let list = null;
    let para = null;
    for (const line of paragraph.split("\n")) {
      const bullet = /^\s*[-*•]\s+(.*)$/.exec(line);
      if (bullet) {
        para = null;
        if (!list) {
          list = el("ul", { class: "answer-list" });
          container.append(list);
        }
        const item = el("li");
        appendWithMarkers(item, bullet[1], view);
        list.append(item);
      } else if (line.trim()) {
        list = null;
        if (para) para.append(" ");
        else {
          para = el("p");
          container.append(para);
        }
        appendWithMarkers(para, line, view);
      }
    }
  }

  // ---- one assistant answer -----------------------------------------------------------------

  class AnswerView {
    constructor(turn, question) {
      this.turn = turn;
      this.question = question;
      this.kind = null;
      this.text = "";
      this.citations = new Map();
      this.answer = null;
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

    sourceId(n) {
      return `t${this.turn}-source-${n}`;
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
        return;
      }
      this.live = el("div", {
        class: "answer-content",
        "aria-live": "polite",
        "aria-atomic": "false",
        "aria-busy": "true",
      });
      if (this.kind === "abstain" || this.kind === "refer") {
        const title =
          this.kind === "abstain" ? "Not covered by our library" : "Please ask your doctor or pharmacist";
        this.notice = el("div", { class: "notice-text" });
        this.live.append(
          el("div", { class: `notice notice-${this.kind}` }, el("p", { class: "notice-title" }, title), this.notice),
        );
      }
      this.body = el("div", { class: "answer-text" });
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

    append(piece) {
      if (!this.kind) this.start("answer");
      this.text += piece;
      this.render();
    }

    render() {
      const text = this.text;
      if (this.kind === "urgent" || this.kind === "abstain") {
        renderAnswerText(this.notice, text, this);
        return;
      }
      if (this.kind === "refer") {
        const split = text.indexOf("\n\n");
        renderAnswerText(this.notice, split === -1 ? text : text.slice(0, split), this);
        renderAnswerText(this.body, split === -1 ? "" : text.slice(split + 2), this);
        return;
      }
      renderAnswerText(this.body, text, this);
    }

    /** The `done` event: the whole Answer, with its citations and disclaimer. */
    finish(answer) {
      this.answer = answer;
      if (!this.kind) this.start(answer.kind);
      this.text = typeof answer.text === "string" ? answer.text : this.text;
      for (const citation of Array.isArray(answer.citations) ? answer.citations : []) {
        if (citation && Number.isInteger(citation.n)) this.citations.set(citation.n, citation);
      }
      this.render();
      if (this.kind === "urgent") this.addHelpLines();
      if (this.citations.size) this.card.append(this.sourcesList());
      if (this.kind === "answer" || this.kind === "refer") this.card.append(this.actions());
      this.card.append(el("p", { class: "answer-disclaimer" }, answer.disclaimer || footerDisclaimer));
      this.live.setAttribute("aria-busy", "false");
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
      this.sourceItems = new Map();
      for (const [n, citation] of [...this.citations.entries()].sort((a, b) => a[0] - b[0])) {
        const detailId = `${this.sourceId(n)}-detail`;
        const toggle = el(
          "button",
          { type: "button", class: "source-toggle", "aria-expanded": "false", "aria-controls": detailId },
          el("span", { class: "source-n" }, `[${n}]`),
          el(
            "span",
            { class: "source-name" },
            el("span", { class: "source-title" }, citation.title),
            citation.section ? el("span", { class: "source-section" }, ` › ${sectionLabel(citation)}`) : null,
          ),
        );
        const detail = el("div", { class: "source-detail", id: detailId, tabindex: "-1", hidden: true });
        const item = el("li", { class: "source", id: this.sourceId(n) }, toggle, detail);
        toggle.addEventListener("click", () => this.openSource(n, false, true));
        this.sourceItems.set(n, { item, toggle, detail, filled: false });
        list.append(item);
      }
      box.append(list);
      return box;
    }

    /** Show source n's passage; from a [n] marker, also scroll to it and move focus there. */
    openSource(n, fromMarker, toggle = false) {
      const entry = this.sourceItems && this.sourceItems.get(n);
      if (!entry) return;
      const open = entry.toggle.getAttribute("aria-expanded") === "true";
      if (toggle && open) {
        entry.toggle.setAttribute("aria-expanded", "false");
        entry.detail.hidden = true;
        return;
      }
      if (!entry.filled) {
        this.fillSource(entry.detail, this.citations.get(n));
        entry.filled = true;
      }
      entry.toggle.setAttribute("aria-expanded", "true");
      entry.detail.hidden = false;
      if (fromMarker) {
        entry.item.classList.remove("flash");
        void entry.item.offsetWidth; // restart the highlight animation
        entry.item.classList.add("flash");
        entry.detail.focus({ preventScroll: true });
        entry.item.scrollIntoView({ block: "nearest" });
      }
    }

    fillSource(detail, citation) {
      const parts = quoteParts(citation.quote);
      const quote = el("blockquote", { class: "source-quote" });
      for (const part of parts) quote.append(el("p", null, part));
      detail.append(quote);
      const where = el("p", { class: "source-where" }, "From ", el("strong", null, citation.title));
      if (citation.section) where.append(`, section “${sectionLabel(citation)}”`);
      detail.append(where);
      if (citation.reviewed) {
        detail.append(el("p", { class: "source-reviewed" }, "Page last reviewed ", reviewedTime(citation.reviewed)));
      }
      const links = el("div", { class: "source-links" }, el("span", { class: "muted" }, "Loading the source links…"));
      detail.append(links);
      const readButton = el("button", { type: "button", class: "button button-secondary read-page" }, "Read the whole page");
      readButton.addEventListener("click", () => openDocument(citation, readButton));
      detail.append(el("div", { class: "source-actions" }, readButton));
      loadDocument(citation.doc_id).then(
        (doc) => links.replaceChildren(...sourceLinks(doc, citation.url)),
        () => links.replaceChildren(el("span", { class: "muted" }, "The source links could not be loaded.")),
      );
    }

    actions() {
      const copy = el("button", { type: "button", class: "button button-quiet copy-answer" }, "Copy answer");
      copy.addEventListener("click", async () => {
        const ok = await copyText(answerAsText(this.answer));
        copy.textContent = ok ? "Copied" : "Copy failed";
        announce(ok ? "Answer copied." : "The answer could not be copied. Select the text to copy it.");
        window.setTimeout(() => {
          copy.textContent = "Copy answer";
        }, 2500);
      });
      return el("div", { class: "answer-actions" }, copy);
    }

    /** Replace whatever was shown with a friendly error, its disclaimer and a retry button. */
    fail(message, disclaimer, retry) {
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

  function answerAsText(answer) {
    const parts = [answer.text];
    const citations = Array.isArray(answer.citations) ? answer.citations : [];
    if (citations.length) {
      const lines = citations.map((c) => {
        const url = safeUrl(c.url);
        return `[${c.n}] ${c.title}${c.section ? ` — ${sectionLabel(c)}` : ""}${url ? ` (${url})` : ""}`;
      });
      parts.push(`Sources:\n${lines.join("\n")}`);
    }
    parts.push(answer.disclaimer || footerDisclaimer);
    return parts.join("\n\n");
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

  function setBusy(value) {
    busy = value;
    sendButton.disabled = value;
    sendButton.textContent = value ? "Asking…" : "Ask";
    form.setAttribute("aria-busy", value ? "true" : "false");
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

  async function ask(rawQuestion) {
    const question = rawQuestion.trim();
    if (busy) return;
    if (!question) {
      announce("Please type a question first.");
      input.focus();
      return;
    }
    setBusy(true);
    welcome.hidden = true;
    newChatButton.hidden = false;
    const turn = ++turnCounter;
    const userItem = addUserMessage(question);
    const view = new AnswerView(turn, question);
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
          await sleep(DELTA_PAUSE_MS);
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
        setBusy(false);
      }
    }
    if (answer) {
      history.push({ role: "user", content: question.slice(0, MAX_TURN_CHARS) });
      history.push({ role: "assistant", content: String(answer.text || "").slice(0, MAX_TURN_CHARS) });
      history = history.slice(-MAX_HISTORY_TURNS);
      if (view.kind === "urgent") view.item.scrollIntoView({ block: "nearest" });
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

  newChatButton.addEventListener("click", () => {
    if (controller) controller.abort();
    controller = null;
    setBusy(false);
    history = [];
    documents.clear();
    messages.replaceChildren();
    if (dialog.open) dialog.close();
    welcome.hidden = false;
    newChatButton.hidden = true;
    input.value = "";
    input.focus();
    announce("Started a new conversation. The previous one has been cleared.");
  });

  if (!config.emergencyTel) $("emergency-link").removeAttribute("href");
})();
