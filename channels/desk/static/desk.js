// The desk's live updates: the queue and a conversation's transcript, from server-sent events.
// Everything the server sends is put in with textContent: a customer's markup shows as text.
(function () {
  "use strict";
  const csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  // Every time on the desk is in the company's zone, which the page names: never the browser's.
  const zone = (document.querySelector('meta[name="desk-timezone"]') || {}).content || "UTC";
  const clockFormat = new Intl.DateTimeFormat("en-GB", {
    timeZone: zone, hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23",
  });

  const LANGUAGES = { en: "English", fr: "French" };

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

  // "17:06:01" in the desk's zone, as the server writes it (templating.clock).
  function clock(iso) {
    const d = iso === undefined ? new Date() : new Date(iso);
    return isNaN(d) ? "" : clockFormat.format(d);
  }

  // --- the queue -----------------------------------------------------------------------
  const queue = document.getElementById("queue");
  if (queue) {
    const body = queue.querySelector("tbody");
    const state = document.getElementById("live-state");

    function row(r) {
      const tr = el("tr", { "data-id": r.id, "data-status": r.status });
      const wait = el("td", { class: "wait", "data-since": r.requested_at, "data-seconds": r.waited_seconds }, duration(r.waited_seconds));
      // The conversation's language, as the page's _language.html badge shows it.
      const language = String(r.language || "en");
      const badge = el("span", { class: "lang-badge", "data-language": language, title: LANGUAGES[language] || language }, language.toUpperCase());
      const languageCell = el("td");
      languageCell.append(badge);
      tr.append(wait, el("td", {}, r.channel_label), languageCell, el("td", {}, r.account), el("td", {}, r.reason_label),
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
        tr.append(el("td", { colspan: "7" }, "Nobody is waiting."));
        return tr;
      })()]));
      state.textContent = "The queue updates by itself (last update " + clock() + ").";
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
    keepPlace(transcript);

    function line(l) {
      const li = el("li", { class: "line line--" + l.role + (l.chose ? " line--chose" : ""), "data-id": l.id });
      const who = l.role === "agent" ? (l.author || "Agent") : l.role;
      li.append(el("span", { class: "line__who" }, who), el("time", { datetime: l.at }, clock(l.at)));
      if (l.chose) li.append(el("span", { class: "line__how" }, "pressed"));
      li.append(el("span", { class: "line__text" }, String(l.text).trim()));
      return li;
    }

    let shownStatus = status ? status.textContent : "";
    const source = new EventSource(transcript.dataset.live);
    source.addEventListener("transcript", function (event) {
      const data = JSON.parse(event.data);
      const atEnd = transcript.scrollTop + transcript.clientHeight >= transcript.scrollHeight - 4;
      data.lines.forEach(function (l) {
        if (seen.has(String(l.id))) return;
        seen.add(String(l.id));
        transcript.append(line(l));
      });
      // New lines follow only an agent who reads the end; one reading back stays there.
      if (atEnd) transcript.scrollTop = transcript.scrollHeight;
      if (status && data.status !== shownStatus) {
        shownStatus = data.status;
        status.textContent = data.status;
      }
    });
  }

  // Taking a conversation or answering reloads the page (post/redirect/get): the agent
  // comes back where they were, the transcript where they had it, the cursor in the
  // composer, and nothing scrolls to it.
  function keepPlace(transcript) {
    const KEY = "icbot.desk.place";
    document.querySelectorAll("form[data-keeps-place]").forEach(function (form) {
      form.addEventListener("submit", function () {
        const place = {
          path: location.pathname,
          top: transcript.getBoundingClientRect().top,
          atEnd: transcript.scrollTop + transcript.clientHeight >= transcript.scrollHeight - 4,
          scrollTop: transcript.scrollTop,
        };
        try { sessionStorage.setItem(KEY, JSON.stringify(place)); } catch (err) { /* storage off */ }
      });
    });
    let place = null;
    try {
      place = JSON.parse(sessionStorage.getItem(KEY) || "null");
      sessionStorage.removeItem(KEY);
    } catch (err) {
      place = null;
    }
    if (place && place.path === location.pathname && typeof place.top === "number") {
      window.scrollBy(0, transcript.getBoundingClientRect().top - place.top);
      transcript.scrollTop = place.atEnd ? transcript.scrollHeight : place.scrollTop;
    }
    const composer = document.getElementById("reply-text");
    if (composer && !location.hash) composer.focus({ preventScroll: true });
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
