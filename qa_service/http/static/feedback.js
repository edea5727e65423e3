/* "Was this answer helpful?" under an answer: Helpful, or Not helpful with an optional reason,
 * sent to POST /v1/feedback with the answer's kind, index version and cited chunk ids (the
 * question only when the operator keeps questions: data-keeps-questions on the page). */

import { el, parseJson } from "./dom.js";

const REASONS = [
  ["wrong", "Wrong"],
  ["unclear", "Unclear"],
  ["not_what_i_asked", "Not what I asked"],
  ["out_of_date", "Out of date"],
];

export function feedbackBox(view) {
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
    if (view.chat.config.keepsQuestions) body.question = view.question;
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
