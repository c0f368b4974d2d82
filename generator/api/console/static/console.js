// The console's only script: live progress from the server's event stream, the issue
// date in 和暦 beside the ISO date, and the upload's size checked before it is sent.
"use strict";

function progress(section) {
  const events = new EventSource(section.dataset.events);
  // The run's page shows pages, pages/s and time left; a proof's page only its state.
  const text = (id, value) => {
    const element = document.getElementById(id);
    if (element && element.textContent !== value) element.textContent = value;
  };
  const states = { queued: "待機中", running: "作成中", done: "完了", failed: "失敗" };
  events.addEventListener("progress", (message) => {
    const p = JSON.parse(message.data);
    text("state", states[p.state] || p.state);
    const bar = document.getElementById("bar");
    if (!bar) return;
    bar.max = Math.max(p.total, 1);
    bar.value = p.done;
    const count = (n) => n.toLocaleString("ja-JP");
    text("pages", p.total ? `${count(p.total)}ページ中${count(p.done)}ページ` : "準備中");
    text("rate", p.rate ? p.rate.toFixed(0) : "–");
    text("eta", p.eta === null ? "–" : p.eta < 60 ? `${p.eta}秒` : `${Math.ceil(p.eta / 60)}分`);
  });
  events.addEventListener("end", () => { events.close(); window.location.reload(); });
}

function wareki(input) {
  const output = document.getElementById(`${input.id}-wareki`);
  const format = new Intl.DateTimeFormat("ja-JP-u-ca-japanese", { era: "long", year: "numeric",
                                                                    month: "long", day: "numeric" });
  const show = () => {
    const day = input.valueAsDate;
    output.textContent = day ? format.format(new Date(day.getTime() + day.getTimezoneOffset() * 60000)) : "";
  };
  input.addEventListener("input", show);
}

function sizeCheck(input) {
  const problem = document.getElementById(`${input.id}-size`);
  const check = () => {
    const tooLarge = input.files.length > 0 && input.files[0].size > Number(input.dataset.maxBytes);
    problem.hidden = !tooLarge;
    input.closest(".field").classList.toggle("invalid", tooLarge);
    input.setAttribute("aria-invalid", tooLarge ? "true" : "false");
    input.setCustomValidity(tooLarge ? problem.textContent : "");
  };
  input.addEventListener("change", check);
}

document.addEventListener("DOMContentLoaded", () => {
  const section = document.querySelector("[data-events]");
  if (section) progress(section);
  const date = document.getElementById("issue_date");
  if (date) wareki(date);
  const file = document.querySelector("input[data-max-bytes]");
  if (file) sizeCheck(file);
});
