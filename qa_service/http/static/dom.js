/* Small DOM helpers for the chat. Safety: text from the library or the user is only ever put on
 * the page with textContent / append(string) / createElement, never as HTML, and links to the
 * outside are made only from http(s) addresses (safeUrl). */

export const $ = (id) => document.getElementById(id);
export const footerDisclaimer = ($("footer-disclaimer").textContent || "").replace(/\s+/g, " ").trim();
const statusRegion = $("status");

export function el(tag, attrs, ...children) {
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
export function safeUrl(address) {
  if (typeof address !== "string" || !address.trim()) return null;
  try {
    const url = new URL(address, window.location.href);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
  } catch {
    return null;
  }
}

export function externalLink(href, text) {
  return el("a", { href, target: "_blank", rel: "noopener noreferrer", class: "external" }, text);
}

export function formatDate(iso) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
  if (!match) return iso || "";
  const date = new Date(Date.UTC(+match[1], +match[2] - 1, +match[3]));
  return new Intl.DateTimeFormat("en", { dateStyle: "long", timeZone: "UTC" }).format(date);
}

export function reviewedTime(iso) {
  return el("time", { datetime: iso }, formatDate(iso));
}


export function announce(text) {
  statusRegion.textContent = "";
  // a fresh text node so the same message is announced again
  window.setTimeout(() => {
    statusRegion.textContent = text;
  }, 50);
}

export function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export function quoteParts(quote) {
  return String(quote || "")
    .split(" … ")
    .map((part) => part.trim())
    .filter(Boolean);
}

export function sectionLabel(citation) {
  return citation.section ? citation.section.split(" > ").join(" › ") : "";
}


export async function copyText(text) {
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

