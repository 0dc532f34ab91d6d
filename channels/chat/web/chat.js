// The web chat: one conversation per browser tab, kept across reloads of the tab.
// While an adviser has the conversation, their answers (and the assistant's, when it
// takes over again) come from the conversation's event feed, a long poll.
(function () {
  "use strict";
  const log = document.getElementById("log");
  const form = document.getElementById("composer");
  const input = document.getElementById("text");
  const sendButton = document.getElementById("send");
  const status = document.getElementById("status");
  const handoff = document.getElementById("handoff");
  const handoffText = document.getElementById("handoff-text");
  const leaveQueue = document.getElementById("leave-queue");
  const switcher = document.getElementById("language");

  // --- the page's language ---------------------------------------------------------------
  // Every fixed text comes from the tables the page carries (channels/chat/web_texts.py),
  // one per language: the customer's choice (the EN/FR switch, kept by the tab), else the
  // browser's first language we speak, else the page's own (the server's Accept-Language).
  const TEXTS = JSON.parse(document.getElementById("chat-texts").textContent);
  const LANGUAGE_KEY = "icbot.language";
  // The language the bot was last told in this conversation: a new one goes with the next message.
  const TOLD_KEY = "icbot.told-language";

  function supported(code) {
    const primary = String(code || "").toLowerCase().split("-")[0];
    return Object.prototype.hasOwnProperty.call(TEXTS, primary) ? primary : null;
  }

  function browserLanguage() {
    const wanted = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language];
    for (const code of wanted) {
      if (supported(code)) return supported(code);
    }
    return null;
  }

  let language =
    supported(sessionStorage.getItem(LANGUAGE_KEY)) ||
    browserLanguage() ||
    supported(document.documentElement.lang) ||
    "en";

  // t("retry_in", {seconds: 5}): the text in the page's language, its {names} filled in.
  function t(key, values) {
    const text = (TEXTS[language] || TEXTS.en)[key] || TEXTS.en[key] || "";
    return text.replace(/\{(\w+)\}/g, (whole, name) => (values && name in values ? String(values[name]) : whole));
  }

  function showLanguage() {
    document.documentElement.lang = language;
    document.querySelectorAll("[data-text]").forEach((node) => { node.textContent = t(node.dataset.text); });
    document.querySelectorAll("[data-text-placeholder]").forEach((node) => {
      node.setAttribute("placeholder", t(node.dataset.textPlaceholder));
    });
    document.querySelectorAll("[data-text-aria-label]").forEach((node) => {
      node.setAttribute("aria-label", t(node.dataset.textAriaLabel));
    });
    switcher.querySelectorAll("button").forEach((button) => {
      button.setAttribute("aria-pressed", String(button.dataset.language === language));
    });
  }

  switcher.addEventListener("click", function (event) {
    const button = event.target.closest("button[data-language]");
    const chosen = button && supported(button.dataset.language);
    if (!chosen || chosen === language) return;
    language = chosen;
    sessionStorage.setItem(LANGUAGE_KEY, language);
    showLanguage();
    if (!handoff.hidden) showHandoff(handoffState, handoffAgent);
  });
  showLanguage();

  // The server issues the conversation's id (POST /api/conversations); the tab keeps it
  // across reloads. An id the server no longer knows (404) is replaced by a new one.
  const ID_KEY = "icbot.conversation";
  const CURSOR_KEY = "icbot.cursor";
  let conversationId = sessionStorage.getItem(ID_KEY);

  function url(what) {
    return "/api/conversations/" + encodeURIComponent(conversationId) + "/" + what;
  }

  async function startConversation() {
    const response = await fetch("/api/conversations", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: "{}",
    });
    if (!response.ok) {
      const problem = await response.json().catch(() => ({}));
      throw new Error(describe(problem) || t("server_answered", { status: response.status }));
    }
    conversationId = (await response.json()).conversation_id;
    sessionStorage.setItem(ID_KEY, conversationId);
    forget(CURSOR_KEY);
    forget(TOLD_KEY);
    cursor = null;
  }

  function forget(key) {
    sessionStorage.removeItem(key);
    if (key === ID_KEY) conversationId = null;
  }

  let cursor = sessionStorage.getItem(CURSOR_KEY);
  let listening = false;

  const WHO = { me: "you", bot: "bot", error: "bot" };

  // The buttons of earlier messages answer questions that are over: once the customer
  // has answered (a button, or words) or a newer message has come, they are disabled
  // (inert: not clickable, not focusable), so an old step is never replayed.
  function retireChoices() {
    log.querySelectorAll(".choices button").forEach(function (button) {
      button.disabled = true;
    });
  }

  // The log stays at its newest message while the space around it changes (the waiting
  // banner, a status line, a mobile keyboard), unless the customer scrolled up to read.
  let pinned = true;
  function scrollToEnd() {
    log.scrollTop = log.scrollHeight;
  }
  log.addEventListener("scroll", function () {
    pinned = log.scrollHeight - log.scrollTop - log.clientHeight < 8;
  });
  new ResizeObserver(function () {
    if (pinned) scrollToEnd();
  }).observe(log);

  // Text goes in with textContent only: a message carrying markup shows as text.
  function addMessage(kind, text, buttons, author) {
    const item = document.createElement("li");
    item.className = "msg msg--" + kind;
    const who = document.createElement("span");
    who.className = "msg__who";
    who.textContent = kind === "agent" ? (author || t("adviser")) + ": " : WHO[kind] ? t(WHO[kind]) : "";
    item.appendChild(who);
    item.appendChild(document.createTextNode(text));
    if (buttons && buttons.length) {
      const choices = document.createElement("div");
      choices.className = "choices";
      choices.setAttribute("role", "group");
      choices.setAttribute("aria-label", t("choices"));
      buttons.forEach(function (b) {
        const button = document.createElement("button");
        button.type = "button";
        button.textContent = b.title;
        button.addEventListener("click", function () {
          if (button.disabled) return;
          send(b.payload, b.title);
        });
        choices.appendChild(button);
      });
      item.appendChild(choices);
    }
    log.appendChild(item);
    pinned = true;
    scrollToEnd();
  }

  // While the assistant is unavailable (503), the last message is sent again every few
  // seconds, for about two minutes: Rasa takes about 45 s to come back after a restart.
  const MAX_RETRIES = 24;
  let retries = 0;
  let retryTimer = null;

  function unavailable(text, problem, retryAfter) {
    const seconds = Math.min(Math.max(parseInt(retryAfter, 10) || 5, 1), 60);
    if (retries === 0) {
      if ((problem.messages || []).length) retireChoices();
      (problem.messages || []).forEach((m) => addMessage("bot", m.text, m.buttons));
    }
    if (retries >= MAX_RETRIES) {
      retries = 0;
      status.textContent = "";
      addMessage("error", t("still_unavailable"));
      return;
    }
    retries += 1;
    status.textContent =
      (problem.detail || t("unavailable")) + " " + t("retry_in", { seconds: seconds });
    retryTimer = setTimeout(function () {
      retryTimer = null;
      send(text, null, true);
    }, seconds * 1000);
  }

  async function send(text, shown, again) {
    if (retryTimer !== null) {
      // The customer wrote again: that message goes, not the old one.
      clearTimeout(retryTimer);
      retryTimer = null;
      retries = 0;
    }
    if (!again) {
      retireChoices();
      addMessage("me", shown || text);
    }
    status.textContent = t("typing");
    sendButton.disabled = true;
    try {
      if (!conversationId) await startConversation();
      let spoken = language;
      let response = await post(text, spoken);
      if (response.status === 404) {
        // The server does not know this id (any more): the conversation starts again.
        forget(ID_KEY);
        await startConversation();
        response = await post(text, spoken);
      }
      if (response.status === 503) {
        // The assistant is down for a moment (restarting): say so, and send it again later.
        const problem = await response.json().catch(() => ({}));
        unavailable(text, problem, response.headers.get("Retry-After"));
        return;
      }
      if (!response.ok) {
        const problem = await response.json().catch(() => ({}));
        throw new Error(describe(problem) || t("server_answered", { status: response.status }));
      }
      told(spoken);
      retries = 0;
      const reply = await response.json();
      // The messages of one answer come together: only earlier answers' buttons retire.
      if (reply.messages.length) retireChoices();
      reply.messages.forEach((m) => addMessage("bot", m.text, m.buttons));
      status.textContent = "";
      showHandoff(reply.handed_off ? "waiting" : null);
      if (reply.handed_off) listen();
    } catch (err) {
      addMessage("error", t("not_sent", { reason: err.message }));
      status.textContent = "";
    } finally {
      sendButton.disabled = false;
      input.focus();
    }
  }

  // The bot hears the page's language with the conversation's first message and with the
  // first after each switch: {"language": "fr"} (the gateway ignores codes it does not know).
  function post(text, spoken) {
    const body = { text: text };
    if (sessionStorage.getItem(TOLD_KEY) !== spoken) body.metadata = { language: spoken };
    return fetch(url("messages"), {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
  }

  function told(spoken) {
    sessionStorage.setItem(TOLD_KEY, spoken);
  }

  function describe(problem) {
    if (!problem || !problem.detail) return "";
    if (typeof problem.detail === "string") return problem.detail;
    return problem.detail.map((d) => d.msg).join("; ");
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    send(text);
  });

  // --- a person has the conversation ---------------------------------------------------

  let handoffState = null;
  let handoffAgent = null;

  function showHandoff(state, agent) {
    handoffState = state;
    handoffAgent = agent;
    handoff.hidden = !state;
    if (!state) return;
    handoffText.textContent =
      state === "assigned" ? t("assigned", { agent: agent || t("an_adviser") }) : t("waiting");
    leaveQueue.hidden = state !== "waiting";
    // The banner takes room from the log: its newest message stays in sight.
    if (pinned) scrollToEnd();
  }

  function remember(next) {
    cursor = String(next);
    sessionStorage.setItem(CURSOR_KEY, cursor);
  }

  async function feed(wait) {
    if (!conversationId) return false;
    const query = cursor === null ? "" : "?after=" + encodeURIComponent(cursor) + "&wait=" + wait;
    const response = await fetch(url("events") + query, { cache: "no-store" });
    if (response.status === 404) {
      forget(ID_KEY);
      return false;
    }
    if (!response.ok) throw new Error(t("server_answered", { status: response.status }));
    const news = await response.json();
    if (news.events.length) retireChoices();
    news.events.forEach(function (e) {
      addMessage(e.role === "agent" ? "agent" : e.role === "system" ? "system" : "bot", e.text, e.buttons, e.author);
    });
    remember(news.cursor);
    showHandoff(news.handed_off ? news.handoff_status : null, news.agent);
    return news.handed_off;
  }

  // Long polls while a person has the conversation; stops when the assistant has it again.
  async function listen() {
    if (listening) return;
    listening = true;
    try {
      for (;;) {
        try {
          if (!(await feed(20))) break;
        } catch (err) {
          await new Promise((resolve) => setTimeout(resolve, 3000));
        }
      }
    } finally {
      listening = false;
    }
  }

  leaveQueue.addEventListener("click", function () {
    send("/cancel", t("leave_queue"));
  });

  // No greeting of the page's own: the assistant greets (with its menu) when greeted,
  // and a page that greeted too would make two greetings in a row.
  input.focus();
  // Where the conversation stands (after a reload, an adviser may have it).
  feed(0).then((handedOff) => { if (handedOff) listen(); }).catch(() => {});
})();
