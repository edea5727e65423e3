/* One assistant answer on the page: its kind's look, its text as it streams, its sources, the
 * feedback buttons (feedback.js) and the suggested follow-ups (follow-ups.js). `chat` is what it
 * needs from the conversation: {config, ask(question, fromKeyboard), asked()} (the questions so
 * far, lower-cased). */

import { announce, copyText, el, footerDisclaimer, quoteParts, reviewedTime, safeUrl, sectionLabel } from "./dom.js";
import { loadDocument, openDocument, sourceLinks } from "./documents.js";
import { feedbackBox } from "./feedback.js";
import { suggestFollowUps } from "./follow-ups.js";
import { answerAsText, groupCitations, StreamText } from "./text.js";

// An answer longer than its first passage by more than this many characters is collapsed to
// that passage, with "Show more" (a follow-up answer ran to about four phone screens).
const COLLAPSE_MIN_CHARS = 120;

/** The top-level block (a <p>, or the <ul> of an <li>) that holds `block`. */
function topBlock(block) {
  return block.tagName === "LI" ? block.parentElement : block;
}

export class AnswerView {
  constructor(turn, question, chat) {
    this.turn = turn;
    this.question = question;
    this.chat = chat;
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
    const { emergencyNumber: number, emergencyTel } = this.chat.config;
    if (emergencyTel) {
      box.append(el("a", { class: "call-now", href: emergencyTel }, `Call ${number} now`));
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
    this.markSafetyNet();
    this.markLeadIn();
    this.followUps = el("div", { class: "follow-ups", id: `t${this.turn}-follow-ups`, hidden: true });
    const more = this.collapse();
    if (more) this.card.append(more);
    if (this.kind === "urgent") this.addHelpLines();
    if (groups.length) this.card.append(this.sourcesList());
    if (more) this.collapseSources();
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

  /** The safety-net line ("If this is happening now or getting worse, call …"), which the service
   * puts after the answer when a question names a warning sign: a paragraph without a marker that
   * names the emergency number. It stands out, and it is never collapsed away. */
  markSafetyNet() {
    const stream = this.bodyStream;
    const number = this.chat.config.emergencyNumber;
    if (!stream || !number) return;
    for (const block of stream.blocks) {
      if (block.tagName === "P" && !block.querySelector(".cite-slot") && block.textContent.includes(number)) {
        block.classList.add("safety-net");
      }
    }
  }

  /** "From our page “…” (Section):" introduces the quotes. */
  markLeadIn() {
    const blocks = (this.bodyStream ? this.bodyStream.blocks : []).filter(
      (block) => !block.classList.contains("safety-net"),
    );
    const first = blocks[0];
    if (first && blocks.length > 1 && first.tagName === "P" && /^[^\n[\]]{1,200}:$/.test(first.textContent.trim())) {
      first.classList.add("lead-in");
    }
  }

  /** Collapse a long answer to its first passage; returns the "Show more" button, if any. What
   * comes before the first passage (the safety-net line, the lead-in) always stays; while
   * collapsed, the sources of the hidden passages and the suggested follow-ups are hidden too
   * (app.css), so that the card fits a phone's screen. */
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
    const top = topBlock(end.block);
    let past = false;
    for (const block of stream.blocks) {
      if (past) later.push(block);
      if (block === top) past = true;
    }
    if (end.block.tagName === "LI") {
      let sibling = end.block.nextElementSibling;
      for (; sibling; sibling = sibling.nextElementSibling) later.push(sibling);
    }
    // nothing to hide in empty marker slots (a passage's other sentences) or bare spaces; the
    // safety-net line is never hidden
    const hidden = later.filter(
      (node) => node.nodeType === Node.ELEMENT_NODE && node.textContent.trim() && !node.classList.contains("safety-net"),
    );
    const hiddenChars = hidden.reduce((sum, node) => sum + node.textContent.length, 0);
    if (hiddenChars < COLLAPSE_MIN_CHARS) return null;
    for (const node of hidden) node.classList.add("more");
    this.body.classList.add("is-collapsed");
    this.card.classList.add("is-collapsed");
    const button = el(
      "button",
      {
        type: "button",
        class: "button button-quiet show-more",
        "aria-expanded": "false",
        "aria-controls": `${this.body.id} ${this.followUps.id}`,
      },
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
    for (const line of this.chat.config.helpLines) {
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
