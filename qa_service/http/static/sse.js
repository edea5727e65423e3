/* Server-Sent Events over fetch (EventSource cannot POST). */

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

export async function* readEvents(response) {
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

