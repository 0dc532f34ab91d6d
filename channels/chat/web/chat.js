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
      throw new Error(describe(problem) || "the server answered " + response.status);
    }
    conversationId = (await response.json()).conversation_id;
    sessionStorage.setItem(ID_KEY, conversationId);
    forget(CURSOR_KEY);
    cursor = null;
  }

  function forget(key) {
    sessionStorage.removeItem(key);
    if (key === ID_KEY) conversationId = null;
  }

  let cursor = sessionStorage.getItem(CURSOR_KEY);
  let listening = false;

  const WHO = { me: "You said: ", bot: "Assistant: ", system: "", error: "Assistant: " };

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
    who.textContent = kind === "agent" ? (author || "Adviser") + ": " : WHO[kind] || "";
    item.appendChild(who);
    item.appendChild(document.createTextNode(text));
    if (buttons && buttons.length) {
      const choices = document.createElement("div");
      choices.className = "choices";
      choices.setAttribute("role", "group");
      choices.setAttribute("aria-label", "Choices");
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
      addMessage("error", "The assistant is still unavailable. Please try again later.");
      return;
    }
    retries += 1;
    status.textContent =
      (problem.detail || "The assistant is unavailable for a moment.") +
      " Trying again in " + seconds + " s…";
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
    status.textContent = "The assistant is typing…";
    sendButton.disabled = true;
    try {
      if (!conversationId) await startConversation();
      let response = await post(text);
      if (response.status === 404) {
        // The server does not know this id (any more): the conversation starts again.
        forget(ID_KEY);
        await startConversation();
        response = await post(text);
      }
      if (response.status === 503) {
        // The assistant is down for a moment (restarting): say so, and send it again later.
        const problem = await response.json().catch(() => ({}));
        unavailable(text, problem, response.headers.get("Retry-After"));
        return;
      }
      if (!response.ok) {
        const problem = await response.json().catch(() => ({}));
        throw new Error(describe(problem) || "the server answered " + response.status);
      }
      retries = 0;
      const reply = await response.json();
      // The messages of one answer come together: only earlier answers' buttons retire.
      if (reply.messages.length) retireChoices();
      reply.messages.forEach((m) => addMessage("bot", m.text, m.buttons));
      status.textContent = "";
      showHandoff(reply.handed_off ? "waiting" : null);
      if (reply.handed_off) listen();
    } catch (err) {
      addMessage("error", "Your message could not be sent (" + err.message + "). Please try again.");
      status.textContent = "";
    } finally {
      sendButton.disabled = false;
      input.focus();
    }
  }

  function post(text) {
    return fetch(url("messages"), {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ text: text }),
    });
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

  function showHandoff(state, agent) {
    handoff.hidden = !state;
    if (!state) return;
    handoffText.textContent =
      state === "assigned"
        ? (agent || "An adviser") + " is answering you here."
        : "You're waiting for an adviser, who will answer here.";
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
    if (!response.ok) throw new Error("the server answered " + response.status);
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
    send("/cancel", "Back to the assistant");
  });

  // No greeting of the page's own: the assistant greets (with its menu) when greeted,
  // and a page that greeted too would make two greetings in a row.
  input.focus();
  // Where the conversation stands (after a reload, an adviser may have it).
  feed(0).then((handedOff) => { if (handedOff) listen(); }).catch(() => {});
})();
