/*
 * The site's search box (theme_overrides/partials/site-search.html) with Pagefind.
 *
 * The index is one Pagefind bundle per language (pagefind/nl/, pagefind/en/; see
 * hooks/accountplans/site/search.py): each is loaded as its own module, so that each stems a query
 * with its own language's stemmer, and a query searches all of them. Plans are listed before
 * other pages. Nothing is loaded until the box is first used; then only the chunks of the
 * index a query needs, and the data of the results shown.
 *
 * It behaves like Material's own search: the box in the header opens the search overlay
 * (the #__search toggle), "/", "s" or "f" focus it, Escape closes it, Enter opens the first
 * result, the arrow keys move through the results. A query typed before the index is loaded
 * is kept and answered when it is. The words are Material's translations in the page's
 * language (<html lang>).
 */
(() => {
  "use strict";

  const box = document.querySelector("[data-accountplans-search]");
  const toggle = document.getElementById("__search");
  if (!box || !toggle) return;
  const input = box.querySelector("input.md-search__input");
  const form = box.querySelector("form");
  const meta = box.querySelector(".md-search-result__meta");
  const list = box.querySelector(".md-search-result__list");
  const scrollwrap = box.querySelector(".md-search__scrollwrap");

  const BUNDLES = new URL(box.dataset.accountplansSearch, document.baseURI);
  const SITE_ROOT = new URL("..", BUNDLES);
  const LANGUAGES = ["nl", "en"];
  const PAGE_SIZE = 10;
  const SHORTCUTS = ["/", "s", "f"];
  const KINDS = ["plan", "page"]; // the `kind` filter of every indexed page, in the order shown

  const allWords = JSON.parse(box.dataset.words);
  const language = (document.documentElement.lang || "en").toLowerCase().split("-")[0];
  const words = allWords[language] || allWords.en;

  box.setAttribute("aria-label", words["search"]);
  input.setAttribute("placeholder", words["search.placeholder"]);
  input.setAttribute("aria-label", words["search.placeholder"]);
  for (const reset of box.querySelectorAll("button[type=reset]")) {
    reset.setAttribute("title", words["search.reset"]);
    reset.setAttribute("aria-label", words["search.reset"]);
  }
  meta.textContent = words["search.result.placeholder"];

  /* Loading ------------------------------------------------------------------------------ */

  let engines = null;

  /** The Pagefind modules of the languages that have an index (loaded once). */
  function load() {
    if (engines === null) {
      engines = Promise.all(LANGUAGES.map(async (code) => {
        try {
          const pagefind = await import(new URL(`${code}/pagefind.js`, BUNDLES).href);
          await pagefind.options({ baseUrl: SITE_ROOT.pathname, excerptLength: 20, noWorker: true });
          await pagefind.init();
          return pagefind;
        } catch (error) {
          return null; // no page in that language, or (mkdocs serve) the index is being rebuilt
        }
      })).then((found) => {
        const loaded = found.filter(Boolean);
        if (loaded.length === 0) engines = null; // try again with the next query
        return loaded;
      });
    }
    return engines;
  }

  /* Searching ---------------------------------------------------------------------------- */

  let latest = 0;
  let results = [];
  let shown = 0;

  /** Search for what the box holds now; an older query's answer is never shown over it. */
  async function search() {
    const query = input.value.trim();
    const ticket = ++latest;
    if (!query) {
      results = [];
      shown = 0;
      list.replaceChildren();
      meta.textContent = words["search.result.placeholder"];
      return;
    }
    if (engines === null) meta.textContent = words["search.result.initializer"];
    const loaded = await load();
    if (ticket !== latest) return;
    // Plans first, then the pages across plans (dashboard, owners, quarters), which name the
    // same accounts and products in their roll-ups; each group by score, all languages mixed.
    // One search at a time per index (Pagefind keeps a search's state in its instance).
    const groups = [];
    for (const kind of KINDS) {
      const found = [];
      for (const pagefind of loaded) {
        const answer = await pagefind.search(query, { filters: { kind } });
        if (answer) found.push(...answer.results);
      }
      if (ticket !== latest) return;
      found.sort((a, b) => b.score - a.score);
      groups.push(kind === "plan" ? await bestFirst(found, query) : found);
    }
    if (ticket !== latest) return;
    results = groups.flat();
    shown = 0;
    await showMore(ticket, true);
  }

  /** Of the plans shown first, those whose title holds every word of the query come first
   *  (a plan's title is its account), then those whose text holds every word, then the rest,
   *  each by score: the scores of two languages' indexes do not compare (each index weighs a
   *  word by how many of its own pages hold it), but whether a plan holds every word typed
   *  does. (Only the first page of results: their data is fetched to be shown anyway.) */
  async function bestFirst(found, query) {
    const terms = wordsOf(query);
    const head = found.slice(0, PAGE_SIZE);
    const pages = await Promise.all(head.map((result) => result.data()));
    const holdsAll = (text) => {
      const parts = wordsOf(text);
      return terms.every((term) => parts.some((part) => part.startsWith(term)));
    };
    const rank = pages.map((page) => (holdsAll(page.meta.title) ? 0 : holdsAll(page.content) ? 1 : 2));
    const order = head.map((_, i) => i).sort((a, b) => rank[a] - rank[b] || a - b);
    return [...order.map((i) => head[i]), ...found.slice(head.length)];
  }

  function wordsOf(text) {
    return String(text || "").toLocaleLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }

  function count(n) {
    if (n === 0) return words["search.result.none"];
    if (n === 1) return words["search.result.one"];
    return words["search.result.other"].replace("#", n.toLocaleString(language));
  }

  /** The next results, each with its page's data (fetched per result shown); `first`: the
   *  first ones of a new query, which replace the old list and its count together. */
  async function showMore(ticket, first = false) {
    const next = results.slice(shown, shown + PAGE_SIZE);
    shown += next.length;
    const pages = await Promise.all(next.map((result) => result.data()));
    if (ticket !== latest) return;
    const items = pages.map((page, i) => resultItem(page, next[i].score));
    if (first) {
      list.replaceChildren(...items);
      meta.textContent = count(results.length);
    } else {
      list.append(...items);
    }
  }

  /** Text of Pagefind's HTML (an excerpt or title): only its <mark>s are kept as elements. */
  function fromPagefind(html, into) {
    const parsed = new DOMParser().parseFromString(`<div>${html}</div>`, "text/html");
    for (const node of parsed.body.firstChild.childNodes) {
      if (node.nodeName === "MARK") {
        const mark = document.createElement("mark");
        mark.textContent = node.textContent;
        into.append(mark);
      } else {
        into.append(document.createTextNode(node.textContent));
      }
    }
    return into;
  }

  function resultItem(page, score) {
    const item = document.createElement("li");
    item.className = "md-search-result__item";
    const link = document.createElement("a");
    link.className = "md-search-result__link";
    link.href = new URL(page.url, document.baseURI).href;
    const article = document.createElement("article");
    article.className = "md-search-result__article md-typeset";
    article.dataset.mdScore = String(score);
    const icon = document.createElement("div");
    icon.className = "md-search-result__icon md-icon";
    const title = fromPagefind(page.meta.title || page.url, document.createElement("h1"));
    const excerpt = fromPagefind(page.excerpt, document.createElement("p"));
    article.append(icon, title, excerpt);
    link.append(article);
    item.append(link);
    return item;
  }

  /* Opening, closing and the keyboard ----------------------------------------------------- */

  function setOpen(open) {
    if (toggle.checked !== open) toggle.click(); // a click, so Material sees the change
  }

  function isTyping(element) {
    return !!element && (element.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(element.tagName));
  }

  input.addEventListener("focus", () => {
    setOpen(true);
    load();
  });
  input.addEventListener("input", search);
  toggle.addEventListener("change", () => {
    if (toggle.checked && document.activeElement !== input) input.focus();
  });
  form.addEventListener("submit", (event) => event.preventDefault());
  form.addEventListener("reset", () => {
    setTimeout(() => {
      search();
      input.focus();
    });
  });
  scrollwrap.addEventListener("scroll", () => {
    const nearEnd = scrollwrap.scrollTop + scrollwrap.clientHeight >= scrollwrap.scrollHeight - 64;
    if (nearEnd && shown < results.length) showMore(latest);
  });
  list.addEventListener("click", (event) => {
    if (event.target instanceof Element && event.target.closest("a")) setOpen(false);
  });

  window.addEventListener("keydown", (event) => {
    if (event.metaKey || event.ctrlKey || event.altKey || event.isComposing) return;
    const active = document.activeElement;
    if (!toggle.checked) {
      if (SHORTCUTS.includes(event.key) && !isTyping(active)) {
        event.preventDefault();
        input.focus();
        input.select();
      }
      return;
    }
    switch (event.key) {
      case "Escape":
        setOpen(false);
        input.blur();
        break;
      case "Enter":
        if (active === input) {
          event.preventDefault();
          const first = list.querySelector("a");
          if (first) first.click();
        }
        break;
      case "ArrowUp":
      case "ArrowDown": {
        const stops = [input, ...list.querySelectorAll("a")];
        const at = Math.max(0, stops.indexOf(active));
        const step = event.key === "ArrowUp" ? -1 : 1;
        stops[(at + step + stops.length) % stops.length].focus();
        event.preventDefault();
        break;
      }
      default:
        if (event.key.length === 1 && active !== input && !isTyping(active)) input.focus();
    }
  });

  /* Typed before this script ran (it is deferred): open the box and answer the query. */
  if (document.activeElement === input) setOpen(true);
  if (input.value.trim()) search();
})();
