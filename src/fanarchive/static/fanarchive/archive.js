// Fan Archive: small enhancements; every page works without them.
//  - tag fields with data-autocomplete fill their <datalist> from /tags/autocomplete
//  - selects with data-autosubmit submit their form on change (chapter menu)
//  - the "set during" fandom select (data-timeline) refills its episode <datalist> and clears the episode
//  - on chapter pages, j / ArrowRight go to the next chapter, k / ArrowLeft to the previous
"use strict";

(function () {
  const DEBOUNCE_MS = 150;

  function setUpAutocomplete(input) {
    const list = input.list;
    if (!list) return;
    let timer = null;
    let lastTerm = "";
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(async function () {
        const term = input.value.trim();
        if (term === lastTerm || term.length < 1) return;
        lastTerm = term;
        const url = new URL(input.dataset.autocomplete, window.location.href);
        url.searchParams.set("term", term);
        if (input.dataset.tagType) url.searchParams.set("type", input.dataset.tagType);
        try {
          const response = await fetch(url, { headers: { Accept: "application/json" } });
          if (!response.ok) return;
          const names = await response.json();
          list.replaceChildren(...names.map(function (name) {
            const option = document.createElement("option");
            option.value = name;
            return option;
          }));
        } catch (error) {
          // Suggestions are a convenience: typing the full name still works.
        }
      }, DEBOUNCE_MS);
    });
  }

  function setUpTimeline(select) {
    const list = document.getElementById(select.dataset.episodeList);
    if (!list) return;
    const episode = select.form.querySelector('input[list="' + list.id + '"]');
    select.addEventListener("change", async function () {
      const fandom = select.value;
      list.replaceChildren();
      if (episode) episode.value = "";  // an episode of the previous fandom means nothing here
      if (!fandom) return;
      const url = new URL(select.dataset.timeline, window.location.href);
      url.searchParams.set("fandom", fandom);
      try {
        const response = await fetch(url, { headers: { Accept: "application/json" } });
        if (!response.ok || select.value !== fandom) return;
        const data = await response.json();
        list.replaceChildren(...data.episodes.map(function (episode) {
          const option = document.createElement("option");
          option.value = episode.code;
          option.textContent = episode.title;
          return option;
        }));
      } catch (error) {
        // The list is a convenience: typing a code or title still works.
      }
    });
  }

  function isTyping(target) {
    return target instanceof HTMLElement &&
      (target.isContentEditable || ["INPUT", "SELECT", "TEXTAREA", "BUTTON"].includes(target.tagName));
  }

  function setUpChapterKeys() {
    const next = document.getElementById("chapter-next");
    const previous = document.getElementById("chapter-prev");
    if (!next && !previous) return;
    document.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey || isTyping(event.target)) return;
      const link = (event.key === "j" || event.key === "ArrowRight") ? next
        : (event.key === "k" || event.key === "ArrowLeft") ? previous : null;
      if (link) {
        event.preventDefault();
        link.click();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-autocomplete]").forEach(setUpAutocomplete);
    document.querySelectorAll("select[data-timeline]").forEach(setUpTimeline);
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.requestSubmit(); });
    });
    setUpChapterKeys();
  });
})();
