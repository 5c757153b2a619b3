// The reading view's "Cite for…" panel: cite a sentence, or words selected in it, for a
// record's fields without leaving the page. Without this script the same links and forms
// work as plain page loads. No inline script or style: the page's data comes from a JSON
// data block (#reader-data) and styling from reader.css.
"use strict";

(function () {
  const dataElement = document.getElementById("reader-data");
  if (!dataElement) {
    return;
  }
  const data = JSON.parse(dataElement.textContent);
  const token = document.querySelector("#reader-token input[name=csrfmiddlewaretoken]").value;
  const status = document.getElementById("reader-status");
  let openPanel = null;
  let searchTimer = null;
  // The last selection made inside one sentence: {index, start, end} in the source's text.
  let selection = null;

  function element(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (name === "className") {
        node.className = value;
      } else if (name === "text") {
        node.textContent = value;
      } else {
        node.setAttribute(name, value);
      }
    }
    for (const child of children) {
      node.append(child);
    }
    return node;
  }

  function announce(message, isError) {
    status.textContent = message;
    status.classList.toggle("is-error", Boolean(isError));
  }

  // Offset of a point (node, offset) in the sentence's own text, skipping the hidden labels
  // the highlights carry for screen readers (they are not part of the source's text).
  function textOffset(container, node, offset) {
    let total = 0;
    const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const current = walker.currentNode;
      const hidden = current.parentElement.closest(".visually-hidden");
      if (current === node) {
        return hidden ? total : total + offset;
      }
      if (!hidden) {
        total += current.textContent.length;
      }
    }
    return null;
  }

  function rememberSelection() {
    const current = window.getSelection();
    if (!current || current.rangeCount === 0 || current.isCollapsed) {
      return;
    }
    const range = current.getRangeAt(0);
    const startText = range.startContainer.parentElement?.closest(".sentence-text");
    const endText = range.endContainer.parentElement?.closest(".sentence-text");
    if (!startText || startText !== endText) {
      selection = null;
      return;
    }
    const item = startText.closest(".sentence");
    const base = Number(item.dataset.start);
    const start = textOffset(startText, range.startContainer, range.startOffset);
    const end = textOffset(startText, range.endContainer, range.endOffset);
    if (start === null || end === null || start === end) {
      selection = null;
      return;
    }
    selection = { index: Number(item.dataset.index), start: base + start, end: base + end };
  }

  function selectionIn(index) {
    return selection && selection.index === index ? selection : null;
  }

  function sentenceText(item, span) {
    const text = item.querySelector(".sentence-text");
    let plain = "";
    const walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      if (!walker.currentNode.parentElement.closest(".visually-hidden")) {
        plain += walker.currentNode.textContent;
      }
    }
    if (!span) {
      return plain.trim();
    }
    const base = Number(item.dataset.start);
    return plain.slice(span.start - base, span.end - base).trim();
  }

  function closePanel() {
    selection = null;
    if (openPanel) {
      const button = openPanel.closest(".sentence").querySelector(".cite-button");
      openPanel.remove();
      openPanel = null;
      button.setAttribute("aria-expanded", "false");
      button.focus();
    }
  }

  function recordChoice(key, name, panel) {
    const record = data.records[key];
    const input = element("input", { type: "radio", name: name, value: key });
    input.addEventListener("change", () => showFields(panel, record));
    return element(
      "label",
      { className: "record-choice" },
      input,
      " " + record.label + " ",
      element("span", { className: "record-kind", text: "(" + record.kind + ")" }),
    );
  }

  function recordGroup(title, keys, panel) {
    const group = element("fieldset", { className: "record-group" }, element("legend", { text: title }));
    for (const key of keys) {
      group.append(recordChoice(key, "record-" + panel.dataset.index, panel));
    }
    return group;
  }

  function showFields(panel, record) {
    panel.dataset.record = record.key;
    const box = panel.querySelector(".field-box");
    box.replaceChildren();
    const model = data.models[record.model];
    const fieldset = element(
      "fieldset",
      {},
      element("legend", { text: "Fields of “" + record.label + "” this supports" }),
    );
    for (const [name, label] of model.fields) {
      fieldset.append(
        element(
          "label",
          { className: "field-choice" },
          element("input", { type: "checkbox", name: "fields", value: name }),
          " " + label,
        ),
      );
    }
    const cite = element("button", { type: "submit", className: "button default cite-submit", text: "Cite" });
    box.append(fieldset, cite);
    // Add a participant, a milestone, a figure; change a status; set a field: each posts the
    // quote to its own address, with the choice it takes (a status, a field) when it has one.
    for (const action of data.actions[record.model] || []) {
      const button = element("button", { type: "button", className: "button quote-action", text: action.label });
      let choice = null;
      if (action.choice) {
        choice = element("select", { "aria-label": action.label + ": choose" });
        for (const [value, label] of action.choice.options) {
          choice.append(element("option", { value: value, text: label }));
        }
      }
      button.addEventListener("click", () => {
        const extra = { record: record.key };
        if (choice) {
          extra[action.choice.name] = choice.value;
        }
        send(panel, action.url, extra);
      });
      box.append(" ", ...(choice ? [choice, " "] : []), button);
    }
  }

  function addFound(panel, results) {
    const list = panel.querySelector(".found");
    list.replaceChildren();
    for (const record of results) {
      data.records[record.key] = data.records[record.key] || record;
      list.append(recordChoice(record.key, "record-" + panel.dataset.index, panel));
    }
    if (!results.length) {
      list.append(element("p", { className: "help", text: "No record by that name." }));
    }
  }

  function search(panel, query) {
    clearTimeout(searchTimer);
    if (query.trim().length < 2) {
      return;
    }
    searchTimer = setTimeout(async () => {
      const response = await fetch(data.urls.records + "?q=" + encodeURIComponent(query), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (response.ok) {
        addFound(panel, (await response.json()).results);
      }
    }, 250);
  }

  function payloadFor(panel, extra) {
    const span = panel.span;
    const payload = { sentence: panel.dataset.index, ...extra };
    if (span) {
      payload.start = span.start;
      payload.end = span.end;
    }
    return payload;
  }

  async function send(panel, url, extra) {
    const response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": token },
      credentials: "same-origin",
      body: JSON.stringify(payloadFor(panel, extra)),
    });
    let answer;
    try {
      answer = await response.json();
    } catch (error) {
      answer = { ok: false, message: "The server could not take this citation (" + response.status + ")." };
    }
    announce(answer.message, !answer.ok);
    if (!answer.ok) {
      return;
    }
    const item = panel.closest(".sentence");
    if (answer.created !== false) {
      const badge = item.querySelector(".cited-badge");
      const count = Number(badge.dataset.cited) + 1;
      badge.dataset.cited = String(count);
      badge.querySelector(".cited-count").textContent = String(count);
      badge.classList.remove("is-empty");
    }
    for (const record of [answer.record, answer.added].filter(Boolean)) {
      data.records[record.key] = record;
      if (!data.fromSource.includes(record.key)) {
        data.fromSource.push(record.key);
      }
    }
    // Only the panel this answer is for: the editor may have opened another meanwhile.
    if (openPanel === panel) {
      closePanel();
    }
  }

  function openFor(item) {
    const index = Number(item.dataset.index);
    const span = selectionIn(index);
    closePanel();
    const panel = element("form", { className: "cite-panel", "aria-label": "Cite sentence " + (index + 1) });
    panel.dataset.index = String(index);
    panel.span = span;
    const quote = sentenceText(item, span);
    panel.append(
      element("h2", { text: span ? "Cite the selected words" : "Cite this sentence" }),
      element("blockquote", { className: "cite-quote", text: quote }),
    );
    const offers = data.offers[index] || [];
    if (offers.length) {
      panel.append(recordGroup("Mentioned here", offers, panel));
    }
    const cited = data.fromSource.filter((key) => !offers.includes(key));
    if (cited.length) {
      panel.append(recordGroup("Cited from this source", cited, panel));
    }
    // Outcomes, participations… of the records named: citable, but not (yet) cited from here.
    const parts = data.parts.filter((key) => !offers.includes(key) && !data.fromSource.includes(key));
    if (parts.length) {
      panel.append(recordGroup("Parts of the records named in this source", parts, panel));
    }
    // A source is published only with a citation of its own: its title, publisher or date.
    if (data.itself && !data.fromSource.includes(data.itself)) {
      panel.append(recordGroup("This source itself (its title, publisher, date)", [data.itself], panel));
    }
    const searchId = "cite-search-" + index;
    const input = element("input", { id: searchId, type: "search", autocomplete: "off", className: "cite-search" });
    input.addEventListener("input", () => search(panel, input.value));
    panel.append(
      element(
        "div",
        { className: "any-record" },
        element("label", { for: searchId, text: "Any record by name" }),
        " ",
        input,
        element("div", { className: "found", role: "group", "aria-label": "Records found" }),
      ),
      element("div", { className: "field-box" }),
    );
    const cancel = element("button", { type: "button", className: "button cite-cancel", text: "Cancel" });
    cancel.addEventListener("click", closePanel);
    panel.append(cancel);
    panel.addEventListener("submit", (event) => {
      event.preventDefault();
      const fields = [...panel.querySelectorAll(".field-box input[name=fields]:checked")].map((box) => box.value);
      send(panel, data.urls.cite, { record: panel.dataset.record, fields: fields });
    });
    panel.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        closePanel();
      }
    });
    item.append(panel);
    openPanel = panel;
    item.querySelector(".cite-button").setAttribute("aria-expanded", "true");
    const first = panel.querySelector("input");
    if (first) {
      first.focus();
    }
  }

  document.addEventListener("selectionchange", rememberSelection);
  for (const item of document.querySelectorAll(".sentence")) {
    const button = item.querySelector(".cite-button");
    button.setAttribute("role", "button");
    button.setAttribute("aria-expanded", "false");
    button.addEventListener("click", (event) => {
      event.preventDefault();
      openFor(item);
    });
    button.addEventListener("keydown", (event) => {
      if (event.key === " ") {
        event.preventDefault();
        openFor(item);
      }
    });
    // A draft started from a sentence takes the selected words, when there are any.
    for (const link of item.querySelectorAll(".new-record")) {
      link.addEventListener("click", () => {
        const span = selectionIn(Number(item.dataset.index));
        if (span) {
          const url = new URL(link.href);
          url.searchParams.set("start", span.start);
          url.searchParams.set("end", span.end);
          link.href = url.toString();
        }
      });
    }
  }
})();
