/* Alike Wisdom web chat: the conversation (asking, keeping, starting over) and the page's tools.
 * The other modules: dom.js (safe DOM helpers), sse.js (events over fetch), text.js (an answer's
 * text as it streams), answer.js (one answer on the page, with feedback.js and follow-ups.js),
 * documents.js (a source's whole page).
 *
 * Privacy: nothing is written to cookies, Web Storage or IndexedDB: the conversation lives in the
 * `history` and `transcript` arrays below and disappears with the page.
 *
 * Screen readers: an answer is written into its live region by appending only (StreamText), never
 * by rebuilding it, and the region is aria-busy until the answer is complete, so it is announced
 * once. Pieces are drawn once per animation frame, as fast as they arrive.
 */

import { AnswerView } from "./answer.js";
import { closeDocument, forgetDocuments } from "./documents.js";
import { $, announce, el, footerDisclaimer, parseJson } from "./dom.js";
import { readEvents } from "./sse.js";
import { answerAsText } from "./text.js";

const MAX_HISTORY_TURNS = 20; // qa_service.models.MAX_HISTORY_TURNS
const MAX_TURN_CHARS = 8000; // ChatTurn.content max_length
const REQUEST_TIMEOUT_MS = 90000;
const TEXT_SIZES = [100, 112.5, 125, 150, 175]; // per cent; for the open page only

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

const form = $("ask-form");
const input = $("question");
const sendButton = $("send");
const newChatButton = $("new-chat");
const messages = $("messages");
const welcome = $("welcome");
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

/** What an answer needs from the conversation (see answer.js). */
const chat = {
  config,
  ask(question, fromKeyboard) {
    if (fromKeyboard) input.focus(); // carry on in the question box (a tap should not pop up the keyboard)
    ask(question);
  },
  asked: () => transcript.map((turn) => turn.question.toLowerCase()),
};

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
  closeDocument(); // asked from the question box while a source's page is open (on a phone)
  performance.clearMarks("wisdom:send");
  performance.mark("wisdom:send");
  setBusy(true);
  inConversation(true);
  const turn = ++turnCounter;
  const userItem = addUserMessage(question);
  const view = new AnswerView(turn, question, chat);
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
  forgetDocuments();
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
