/* Suggested follow-up questions under an answer, made here (offline) from the other sections of
 * the page it cites first: "How is necrotizing autoimmune myopathy treated?" after a definition. */

import { el } from "./dom.js";
import { loadDocument } from "./documents.js";


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

export async function suggestFollowUps(view) {
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
  const asked = new Set(view.chat.asked().concat(view.question.toLowerCase()));
  const questions = followUpQuestions(doc, cited, asked);
  if (questions.length < 2) return;
  const list = el("ul", { class: "follow-up-list" });
  for (const question of questions) {
    const button = el("button", { type: "button", class: "button button-secondary follow-up" }, question);
    button.addEventListener("click", (event) => {
      view.chat.ask(question, event.detail === 0);
    });
    list.append(el("li", null, button));
  }
  view.followUps.replaceChildren(el("h3", { class: "follow-ups-title" }, "You could also ask"), list);
  view.followUps.hidden = false;
}
