// The web chat: one conversation per browser tab, kept across reloads of the tab.
(function () {
  "use strict";
  const log = document.getElementById("log");
  const form = document.getElementById("composer");
  const input = document.getElementById("text");
  const sendButton = document.getElementById("send");
  const status = document.getElementById("status");

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }
  let conversationId = sessionStorage.getItem("icbot.conversation");
  if (!conversationId) {
    conversationId = newId();
    sessionStorage.setItem("icbot.conversation", conversationId);
  }

  // Text goes in with textContent only: a message carrying markup shows as text.
  function addMessage(kind, text, buttons) {
    const item = document.createElement("li");
    item.className = "msg msg--" + kind;
    const who = document.createElement("span");
    who.className = "msg__who";
    who.textContent = kind === "me" ? "You said: " : "Assistant: ";
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
          choices.querySelectorAll("button").forEach((x) => (x.disabled = true));
          send(b.payload, b.title);
        });
        choices.appendChild(button);
      });
      item.appendChild(choices);
    }
    log.appendChild(item);
    log.scrollTop = log.scrollHeight;
  }

  async function send(text, shown) {
    addMessage("me", shown || text);
    status.textContent = "The assistant is typing…";
    sendButton.disabled = true;
    try {
      const response = await fetch(
        "/api/conversations/" + encodeURIComponent(conversationId) + "/messages",
        {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ text: text, metadata: { channel: "web" } }),
        }
      );
      if (!response.ok) {
        const problem = await response.json().catch(() => ({}));
        throw new Error(describe(problem) || "the server answered " + response.status);
      }
      const reply = await response.json();
      reply.messages.forEach((m) => addMessage("bot", m.text, m.buttons));
      status.textContent = "";
    } catch (err) {
      addMessage("error", "Your message could not be sent (" + err.message + "). Please try again.");
      status.textContent = "";
    } finally {
      sendButton.disabled = false;
      input.focus();
    }
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

  addMessage("bot", "Hello! I'm the virtual assistant. How can I help you today?");
  input.focus();
})();
