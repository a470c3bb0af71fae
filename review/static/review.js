/* pledgewatch review: keyboard-first moderation. One key per decision; "?" lists them all.
   Plain script, no build step; htmx does the requests and swaps. */
(function () {
  "use strict";

  const $ = (selector, root) => (root || document).querySelector(selector);
  const $$ = (selector, root) => Array.from((root || document).querySelectorAll(selector));
  let currentId = null;

  const items = () => $$("#queue-list > .item");
  const current = () => (currentId ? document.getElementById(currentId) : null);
  const isPending = (item) => item.dataset.state === "pending";
  const inFlight = (item) => item.dataset.state === "sending";
  const openDialog = () => $("dialog[open]");

  function select(item, focus = true) {
    if (!item) return;
    const previous = current();
    if (previous) previous.classList.remove("current");
    currentId = item.id;
    item.classList.add("current");
    if (focus) item.focus({ preventScroll: true });
    item.scrollIntoView({ block: "nearest" });
  }

  function move(step) {
    const all = items();
    if (!all.length) return;
    const at = all.indexOf(current());
    select(all[at < 0 ? 0 : Math.min(all.length - 1, Math.max(0, at + step))]);
  }

  function nextPending(from) {
    const all = items();
    const at = all.indexOf(from);
    return all.slice(at + 1).find(isPending) || all.slice(0, Math.max(at, 0)).reverse().find(isPending) || null;
  }

  function queueView() {
    const list = $("#queue-list");
    return list ? list.dataset.view || "" : "";
  }

  /* When every item on the page is decided, fetch the next ones (or the "queue is empty" note). */
  function refreshWhenDone() {
    if (items().some((i) => isPending(i) || inFlight(i))) return;
    htmx.ajax("GET", "/queue/list?" + queueView(), { target: "#queue-list", swap: "outerHTML" });
  }

  function decide(action) {
    const item = current();
    if (!item || !isPending(item)) return;
    const button = $(`button[name="action"][value="${action}"]`, item);
    if (!button) return;
    const next = nextPending(item);
    button.click();
    item.dataset.state = "sending";
    if (next) select(next);
  }

  function openRelink() {
    const item = current();
    const dialog = $("#relink-dialog");
    if (!item || !isPending(item) || !dialog) return;
    const form = $("#relink-form");
    form.elements.article_id.value = item.dataset.article;
    form.elements.pledge_id.value = item.dataset.pledge;
    form.elements.seen.value = "";
    form.elements.note.value = "";
    form.elements.stage.value = $("form.decide input[name=stage]", item).value;
    form.elements.direction.value = $("form.decide input[name=direction]", item).value;
    form.setAttribute("hx-target", "#" + item.id);
    $("#relink-article").textContent = item.dataset.title || "";
    $("#relink-results").replaceChildren();
    const search = $("#relink-q");
    search.value = "";
    dialog.showModal();
    search.focus();
    htmx.trigger(search, "search");
  }

  function undo() {
    const button = $("#undo-form button[type=submit]");
    if (button) button.click();
  }

  function toggleHelp() {
    const help = $("#help");
    if (!help) return;
    if (help.open) help.close();
    else help.showModal();
  }

  function updatePicked() {
    const picked = $("#picked");
    if (picked) picked.textContent = `${$$("#queue-list .pick:checked").length} 件選択`;
  }

  function toggleCurrentPick() {
    const box = current() && $(".pick", current());
    if (!box) return;
    box.checked = !box.checked;
    updatePicked();
  }

  function bulk(action) {
    const button = $(`#bulk-form button[value="${action}"]`);
    if (button) button.click();
  }

  function note() {
    const field = current() && $("input[name=note]", current());
    if (field) field.focus();
  }

  function openArticle() {
    const link = current() && $("h2 a", current());
    if (link) window.open(link.href, "_blank", "noopener,noreferrer");
  }

  /* Stage and direction: a digit or +/-/= marks the choice on the current item;
     the decision (a, or a re-link) sends it with the suggestion it replaces. */
  const STAGE_KEYS = ["1", "2", "3", "4", "5", "6"];
  const DIRECTION_KEYS = { "+": "前進", "-": "後退", "=": "停滞" };

  function choose(item, kind, value) {
    if (!item || !isPending(item) || !value) return;
    const field = $(`form.decide input[name="${kind}"]`, item);
    if (!field) return;
    field.value = value;
    $$(`.${kind}-key`, item).forEach((button) => {
      button.setAttribute("aria-pressed", button.dataset[kind] === value ? "true" : "false");
    });
  }

  function chooseStage(digit) {
    const button = current() && $$(".stage-key", current())[STAGE_KEYS.indexOf(digit)];
    if (button) choose(current(), "stage", button.dataset.stage);
  }

  /* Upper-case keys act on the whole selection, so they need Shift: Caps Lock alone
     turns "A" back into "a". */
  const keys = {
    j: () => move(1), k: () => move(-1),
    a: () => decide("approve"), r: () => decide("reject"), s: () => decide("skip"),
    l: openRelink, u: undo, n: note, o: openArticle, x: toggleCurrentPick,
    A: () => bulk("approve"), R: () => bulk("reject"), "?": toggleHelp,
  };
  STAGE_KEYS.forEach((digit) => { keys[digit] = () => chooseStage(digit); });
  Object.entries(DIRECTION_KEYS).forEach(([key, direction]) => {
    keys[key] = () => choose(current(), "direction", direction);
  });

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    const target = event.target;
    const typing = target.closest && target.closest("input, textarea, select, [contenteditable]") &&
      !["checkbox", "radio", "submit", "button"].includes(target.type);
    const dialog = openDialog();
    if (dialog) {
      if (event.key === "Escape") {
        /* A search field would only clear itself on the first Escape. */
        event.preventDefault();
        dialog.close();
      } else if (target.id === "relink-q" && event.key === "ArrowDown") {
        const first = $("#relink-results input[type=radio]");
        if (first) { first.checked = true; first.focus(); event.preventDefault(); }
      }
      return;
    }
    if (typing) {
      if (target.name === "note" && (event.key === "Enter" || event.key === "Escape")) {
        event.preventDefault();
        select(target.closest(".item"));
      }
      return;
    }
    const key = event.key.length === 1 && !event.shiftKey ? event.key.toLowerCase() : event.key;
    const action = keys[key];
    if (!action || !$("#queue-list")) return;
    event.preventDefault();
    action();
  });

  document.addEventListener("focusin", (event) => {
    const item = event.target.closest && event.target.closest("#queue-list > .item");
    if (item && item.id !== currentId) select(item, false);
  });

  document.addEventListener("click", (event) => {
    /* Without this script the link opens the re-link page (/relink) instead. */
    const opener = event.target.closest(".relink-open");
    if (opener) { event.preventDefault(); select(opener.closest(".item")); openRelink(); return; }
    if (event.target.closest("#help-open")) { toggleHelp(); return; }
    if (event.target.closest("#relink-cancel")) { $("#relink-dialog").close(); return; }
    if (event.target.closest(".pick")) updatePicked();
    const stage = event.target.closest(".stage-key");
    if (stage) { select(stage.closest(".item")); choose(current(), "stage", stage.dataset.stage); return; }
    const direction = event.target.closest(".direction-key");
    if (direction) { select(direction.closest(".item")); choose(current(), "direction", direction.dataset.direction); }
  });

  document.addEventListener("close", (event) => {
    if (event.target.tagName === "DIALOG" && current()) select(current());
  }, true);

  document.addEventListener("htmx:load", (event) => {
    const element = event.detail.elt;
    if (element.id === "queue-list") {
      const again = current();
      select(again && isPending(again) ? again : (items().find(isPending) || $(".empty", element)));
      updatePicked();
      return;
    }
    if (element.classList && element.classList.contains("item") && !isPending(element)) {
      if (element.id === currentId) select(nextPending(element) || element);
      updatePicked();
      refreshWhenDone();
    }
  });

  /* A request that did not replace its item (busy, refused): the item is decidable again. */
  document.addEventListener("htmx:afterRequest", (event) => {
    const item = event.detail.elt.closest && event.detail.elt.closest(".item");
    if (item && inFlight(item)) {
      item.dataset.state = "pending";
      select(item);
    }
    if (event.detail.elt.id === "relink-form" && event.detail.xhr.status !== 503) $("#relink-dialog").close();
  });

  /* Tell /undo which items are on the page: the one undone is put back in place, the rest stay as they are. */
  document.addEventListener("submit", (event) => {
    if (event.target.id === "undo-form") event.target.elements.shown.value = items().map((i) => i.id).join(",");
  }, true);

  document.addEventListener("pw:focus", (event) => {
    const item = document.getElementById(event.detail.value);
    if (item) select(item);
  });

  /* The politician and pledge filters: suggestions from /search/… (JSON) as one
     types; ↓ / ↑ move through them, Enter chooses, Esc closes, Enter again applies.
     Without this script the typed text is sent as it is and the server looks it up. */
  function combo(box) {
    const field = $("input[type=search]", box);
    const chosen = $("input[type=hidden]", box);
    const list = $(".suggestions", box);
    const hint = $(".combo-hint", box);
    let timer = null;
    let asked = 0;
    let active = -1;
    const options = () => $$("li[role=option]", list);

    function open(on) {
      list.hidden = !on;
      field.setAttribute("aria-expanded", on ? "true" : "false");
      if (!on) {
        active = -1;
        field.removeAttribute("aria-activedescendant");
      }
    }

    function mark(index) {
      const all = options();
      if (!all.length) return;
      active = (index + all.length) % all.length;
      all.forEach((option, i) => option.setAttribute("aria-selected", i === active ? "true" : "false"));
      field.setAttribute("aria-activedescendant", all[active].id);
      all[active].scrollIntoView({ block: "nearest" });
    }

    function choose(option) {
      chosen.value = option.dataset.id;
      field.value = option.dataset.label;
      if (hint) hint.textContent = option.dataset.detail;
      open(false);
    }

    function show(matches) {
      list.replaceChildren(...matches.map((match, i) => {
        const option = document.createElement("li");
        option.id = `${list.id}-${i}`;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.dataset.id = match.id;
        option.dataset.label = match.label;
        option.dataset.detail = match.detail || "";
        option.append(match.label);
        if (match.detail) {
          const detail = document.createElement("small");
          detail.textContent = match.detail;
          option.append(detail);
        }
        return option;
      }));
      active = -1;
      open(matches.length > 0);
    }

    async function suggest() {
      const typed = field.value.trim();
      const ask = ++asked;
      if (!typed) { show([]); return; }
      const params = new URLSearchParams({ q: typed });
      const rankedBy = box.dataset.rankedBy && field.form.elements[box.dataset.rankedBy];
      if (rankedBy && rankedBy.value) params.set(box.dataset.rankedBy, rankedBy.value);
      try {
        const response = await fetch(`${box.dataset.search}?${params}`, { headers: { Accept: "application/json" } });
        const found = response.ok ? await response.json() : null;
        if (found && ask === asked) show(found.matches || []);
      } catch (error) {
        /* Signed out or offline: the form still works, without suggestions. */
      }
    }

    field.addEventListener("input", () => {
      chosen.value = "";
      clearTimeout(timer);
      timer = setTimeout(suggest, 120);
    });
    field.addEventListener("keydown", (event) => {
      if (event.isComposing) return;
      const step = { ArrowDown: 1, ArrowUp: -1 }[event.key];
      if (step && options().length) {
        event.preventDefault();
        open(true);
        mark(active < 0 ? (step > 0 ? 0 : -1) : active + step);
      } else if (event.key === "Enter" && !list.hidden && active >= 0) {
        event.preventDefault();
        choose(options()[active]);
      } else if (event.key === "Escape" && !list.hidden) {
        event.preventDefault();
        open(false);
      }
    });
    list.addEventListener("mousedown", (event) => {
      const option = event.target.closest("li[role=option]");
      if (!option) return;
      event.preventDefault();
      choose(option);
    });
    field.addEventListener("blur", () => open(false));
  }

  document.addEventListener("DOMContentLoaded", () => {
    $$(".combo").forEach(combo);
    const first = items().find(isPending);
    if (first) select(first);
  });
})();
