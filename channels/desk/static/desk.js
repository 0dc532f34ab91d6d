// The desk's live updates: the queue and a conversation's transcript, from server-sent events.
// Everything the server sends is put in with textContent: a customer's markup shows as text.
(function () {
  "use strict";
  const csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => node.setAttribute(k, v));
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function duration(seconds) {
    const s = Math.max(0, Math.floor(seconds));
    const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    if (h) return h + " h " + String(m).padStart(2, "0") + " min";
    if (m) return m + " min " + String(r).padStart(2, "0") + " s";
    return r + " s";
  }

  function clock(iso) {
    const d = new Date(iso);
    return isNaN(d) ? "" : d.toLocaleTimeString([], { hour12: false });
  }

  // --- the queue -----------------------------------------------------------------------
  const queue = document.getElementById("queue");
  if (queue) {
    const body = queue.querySelector("tbody");
    const state = document.getElementById("live-state");

    function row(r) {
      const tr = el("tr", { "data-id": r.id, "data-status": r.status });
      const wait = el("td", { class: "wait", "data-since": r.requested_at, "data-seconds": r.waited_seconds }, duration(r.waited_seconds));
      tr.append(wait, el("td", {}, r.channel_label), el("td", {}, r.account), el("td", {}, r.reason_label),
        el("td", {}, r.status === "waiting" ? "waiting" : "with " + (r.agent || "an agent")));
      const action = el("td");
      if (r.status === "waiting") {
        const form = el("form", { method: "post", action: "/desk/handoffs/" + r.id + "/take" });
        form.append(el("input", { type: "hidden", name: "csrf_token", value: csrf }), el("button", { type: "submit" }, "Take"));
        action.append(form);
      } else {
        action.append(el("a", { href: "/desk/handoffs/" + r.id }, r.mine ? "Open" : "View"));
      }
      tr.append(action);
      return tr;
    }

    const source = new EventSource(queue.dataset.live);
    source.addEventListener("queue", function (event) {
      const rows = JSON.parse(event.data).rows;
      body.replaceChildren(...(rows.length ? rows.map(row) : [(() => {
        const tr = el("tr", { class: "empty" });
        tr.append(el("td", { colspan: "6" }, "Nobody is waiting."));
        return tr;
      })()]));
      state.textContent = "The queue updates by itself (last update " + new Date().toLocaleTimeString([], { hour12: false }) + ").";
    });
    source.onerror = function () { state.textContent = "Reconnecting…"; };

    // Waits grow while nobody looks.
    setInterval(function () {
      body.querySelectorAll('tr[data-status="waiting"] .wait').forEach(function (cell) {
        const since = new Date(cell.dataset.since);
        if (!isNaN(since)) cell.textContent = duration((Date.now() - since.getTime()) / 1000);
      });
    }, 1000);
  }

  // --- a conversation ---------------------------------------------------------------------
  const transcript = document.getElementById("transcript");
  if (transcript) {
    const status = document.getElementById("handoff-status");
    const seen = new Set(Array.from(transcript.querySelectorAll("li[data-id]"), (li) => li.dataset.id));
    transcript.scrollTop = transcript.scrollHeight;

    function line(l) {
      const li = el("li", { class: "line line--" + l.role, "data-id": l.id });
      const who = l.role === "agent" ? (l.author || "Agent") : l.role;
      li.append(el("span", { class: "line__who" }, who), el("time", { datetime: l.at }, clock(l.at)), el("span", { class: "line__text" }, l.text));
      return li;
    }

    let shownStatus = status ? status.textContent : "";
    const source = new EventSource(transcript.dataset.live);
    source.addEventListener("transcript", function (event) {
      const data = JSON.parse(event.data);
      data.lines.forEach(function (l) {
        if (seen.has(String(l.id))) return;
        seen.add(String(l.id));
        transcript.append(line(l));
      });
      transcript.scrollTop = transcript.scrollHeight;
      if (status && data.status !== shownStatus) {
        shownStatus = data.status;
        status.textContent = data.status;
      }
    });
  }
  // --- is the bot up? ------------------------------------------------------------------
  // /healthz names each part; while one is down, customers get the bot's apology and the
  // agents should know why the queue fills up.
  const botStatus = document.getElementById("bot-status");
  const PART_NAMES = { rasa: "the bot (Rasa)", actions: "the bot's actions", dialer: "the dialer" };
  async function checkBot() {
    try {
      const response = await fetch("/healthz", { cache: "no-store" });
      const parts = await response.json();
      const down = Object.entries(parts)
        .filter(([name, state]) => state !== "ok" && name in PART_NAMES)
        .map(([name, state]) => PART_NAMES[name] + (state === "given up" ? " (given up: restart icbot)" : " (restarting)"));
      botStatus.hidden = down.length === 0;
      botStatus.textContent = down.length
        ? "The bot is down: " + down.join(", ") + ". Customers get an apology and can ask for a person."
        : "";
    } catch (err) {
      botStatus.hidden = true;
    }
  }
  if (botStatus) {
    checkBot();
    setInterval(checkBot, 10000);
  }
})();
