/* The whole page of a source, from /v1/documents/{id}, in a dialog with the quoted sentences
 * marked; and the links to where a page's facts come from.
 *
 * On a wide screen the page is a modal dialog. On a phone it is a non-modal panel that ends above
 * the question box, so that the question box and its emergency link stay on the screen and can be
 * used; the rest of the page, under the panel, is inert while it is open. Escape or Close closes
 * it either way, focus returning to the button that opened it. */

import { $, el, externalLink, footerDisclaimer, parseJson, quoteParts, reviewedTime, safeUrl } from "./dom.js";

const dialog = $("document-dialog");
const dialogTitle = $("document-title");
const dialogBody = $("document-body");
const composer = $("ask-form");
/** A phone-sized screen: the page opens as a panel above the question box (see app.css). */
const narrow = window.matchMedia("(max-width: 40rem)");
/** What the panel covers on a phone: out of reach of the keyboard while it is open. */
const COVERED = ".skip-link, .site-header, #welcome, .conversation, .site-footer";
/** doc_id -> Promise of the /v1/documents response, for this page view only. */
const documents = new Map();

export function forgetDocuments() {
  documents.clear();
  closeDocument();
}

/** Close the page (when a question is asked from the question box, say). */
export function closeDocument() {
  if (dialog.open) dialog.close();
}

/** Open the dialog as a modal on a wide screen, as a panel above the question box on a phone. */
function present() {
  const panel = narrow.matches;
  document.body.classList.toggle("document-open", panel);
  for (const node of document.querySelectorAll(COVERED)) node.inert = panel;
  if (panel) dialog.show();
  else dialog.showModal();
}

// turning the phone (or resizing the window) while the page is open: the other way of showing it
narrow.addEventListener("change", () => {
  if (!dialog.open || dialog.matches(":modal") === !narrow.matches) return;
  const focused = dialog.contains(document.activeElement);
  const top = dialogBody.scrollTop;
  dialog.close(); // the "close" event sees it open again, and does nothing
  present();
  dialogBody.scrollTop = top;
  if (focused) $("document-close").focus();
});

export function sourceLinks(doc, citationUrl) {
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

export function loadDocument(docId) {
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

export async function openDocument(citation, opener) {
  dialogOpener = opener;
  dialogTitle.textContent = citation.title;
  dialogBody.replaceChildren(el("p", { class: "muted" }, "Loading the page…"));
  if (!dialog.open) present();
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
  if (event.target === dialog && dialog.matches(":modal")) dialog.close(); // a click on the backdrop
});
// the panel on a phone is not modal: Escape closes it here (a modal dialog closes by itself)
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape" || event.defaultPrevented || event.isComposing) return;
  if (!dialog.open || dialog.matches(":modal")) return;
  event.preventDefault();
  dialog.close();
});
dialog.addEventListener("close", () => {
  if (dialog.open) return; // shown the other way (see present)
  document.body.classList.remove("document-open");
  for (const node of document.querySelectorAll(COVERED)) node.inert = false;
  // back to the button that opened the page, unless the question box is in use
  if (dialogOpener && document.contains(dialogOpener) && !composer.contains(document.activeElement)) {
    dialogOpener.focus();
  }
  dialogOpener = null;
});
