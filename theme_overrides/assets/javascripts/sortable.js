/*
 * Sort and filter the tables of the plan site, with no library and no request to any host.
 *
 * Contract (used by the dashboard's tables, hooks/accountplans/site/portfolio.py):
 *   <table class="accountplans-sortable" id="...">  with a <thead> row of <th> and a <tbody>.
 *   - Every header cell becomes a button: a click sorts the body rows by that column,
 *     ascending, a second click descending; the header gets aria-sort.
 *   - A cell may say what it sorts by: <td data-sort="2027-01-15"> or data-sort="120000";
 *     otherwise its text is read as a number (Dutch "€ 14.400,50" and English "€14,400.50"
 *     alike), then as text (case- and accent-insensitive).
 *   - Rows of a <tfoot> (totals) never move and are never filtered.
 *   - Filter: <input data-filter="ID of the table"> or <input data-filter> placed before the
 *     table (it filters the next sortable table). A table without one gets a labelled input.
 *     A row stays visible when its text contains every word typed.
 * Material may swap the page content without a reload (instant navigation), so the script
 * subscribes to Material's document$ when it exists, and marks what it has set up.
 */
(function () {
  "use strict";

  var collator = new Intl.Collator(document.documentElement.lang || undefined,
                                   { sensitivity: "base", numeric: true });

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  /* A number from a formatted amount, or null when the text is not one. */
  function parseNumber(text) {
    var s = text.replace(/[\s\u00a0\u202f]/g, "").replace(/^[^\d\-+.,]+|[^\d.,]+$/g, "");
    if (!/^[-+]?[\d.,]*\d[\d.,]*$/.test(s)) {
      return null;
    }
    var lastDot = s.lastIndexOf("."), lastComma = s.lastIndexOf(",");
    if (lastDot >= 0 && lastComma >= 0) {
      // Both: whichever comes last separates the decimals.
      var decimal = lastDot > lastComma ? "." : ",";
      var group = decimal === "." ? /,/g : /\./g;
      s = s.replace(group, "").replace(decimal, ".");
    } else if (lastDot >= 0 || lastComma >= 0) {
      var sep = lastDot >= 0 ? "." : ",";
      var parts = s.split(sep);
      // "14.400" or "1,200,000": groups of three digits are thousands, otherwise decimals.
      var grouped = parts.length > 2 || (parts[1].length === 3 && parts[0].replace(/^[-+]/, "") !== "0");
      s = grouped ? parts.join("") : parts[0] + "." + parts[1];
    }
    var n = Number(s);
    return isNaN(n) ? null : n;
  }

  function sortKey(cell) {
    var raw = cell ? (cell.getAttribute("data-sort") || cell.textContent || "").trim() : "";
    if (/^\d{4}-\d{2}(-\d{2})?$/.test(raw)) {
      return { kind: 1, text: raw };  // ISO dates sort as text
    }
    var n = parseNumber(raw);
    return n === null ? { kind: 2, text: raw } : { kind: 0, num: n };
  }

  function compare(a, b) {
    if (a.kind !== b.kind) {
      return a.kind - b.kind;
    }
    if (a.kind === 0) {
      return a.num - b.num;
    }
    return collator.compare(a.text, b.text);
  }

  function sortBy(table, column, th) {
    var body = table.tBodies[0];
    if (!body) {
      return;
    }
    var descending = th.getAttribute("aria-sort") === "ascending";
    var rows = Array.prototype.slice.call(body.rows).map(function (row, index) {
      return { row: row, key: sortKey(row.cells[column]), index: index };
    });
    rows.sort(function (a, b) {
      var order = compare(a.key, b.key);
      return (descending ? -order : order) || a.index - b.index;  // stable
    });
    rows.forEach(function (r) { body.appendChild(r.row); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) {
      cell.removeAttribute("aria-sort");
    });
    th.setAttribute("aria-sort", descending ? "descending" : "ascending");
  }

  function makeSortable(table) {
    if (!table.tHead || !table.tHead.rows.length) {
      return;
    }
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, column) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "accountplans-sort";
      while (th.firstChild) {
        button.appendChild(th.firstChild);
      }
      var indicator = document.createElement("span");
      indicator.className = "accountplans-sort-indicator";
      indicator.setAttribute("aria-hidden", "true");
      button.appendChild(indicator);
      th.appendChild(button);
      button.addEventListener("click", function () { sortBy(table, column, th); });
    });
  }

  function applyFilter(table, query, status) {
    var words = fold(query).split(/\s+/).filter(Boolean);
    var shown = 0, total = 0;
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        var text = fold(row.textContent || "");
        var match = words.every(function (w) { return text.indexOf(w) >= 0; });
        row.hidden = !match;
        total += 1;
        shown += match ? 1 : 0;
      });
    });
    if (status) {
      status.textContent = words.length ? shown + " / " + total : "";
    }
  }

  function filterTarget(input, tables) {
    var id = input.getAttribute("data-filter");
    if (id) {
      return document.getElementById(id.replace(/^#/, ""));
    }
    for (var i = 0; i < tables.length; i++) {
      if (input.compareDocumentPosition(tables[i]) & Node.DOCUMENT_POSITION_FOLLOWING) {
        return tables[i];
      }
    }
    return null;
  }

  function addFilterInput(table, number) {
    var label = document.createElement("label");
    label.className = "accountplans-filter";
    var text = document.documentElement.lang === "nl" ? "Filter de tabel" : "Filter the table";
    label.appendChild(document.createTextNode(text + " "));
    var input = document.createElement("input");
    input.type = "search";
    input.setAttribute("data-filter", table.id || "");
    if (!table.id) {
      table.id = "accountplans-table-" + number;
      input.setAttribute("data-filter", table.id);
    }
    label.appendChild(input);
    // Material wraps tables in scroll containers: put the input before the outermost one.
    var anchor = table;
    while (anchor.parentElement && /md-typeset__(table|scrollwrap)/.test(anchor.parentElement.className)) {
      anchor = anchor.parentElement;
    }
    anchor.parentNode.insertBefore(label, anchor);
    return input;
  }

  function setUp() {
    var tables = Array.prototype.slice.call(document.querySelectorAll("table.accountplans-sortable"));
    var filtered = [];
    Array.prototype.forEach.call(document.querySelectorAll("input[data-filter]"), function (input) {
      var table = filterTarget(input, tables);
      if (table && !input.hasAttribute("data-accountplans-ready")) {
        input.setAttribute("data-accountplans-ready", "");
        wireFilter(input, table);
      }
      if (table) {
        filtered.push(table);
      }
    });
    tables.forEach(function (table, number) {
      if (table.hasAttribute("data-accountplans-ready")) {
        return;
      }
      table.setAttribute("data-accountplans-ready", "");
      makeSortable(table);
      if (filtered.indexOf(table) < 0) {
        var input = addFilterInput(table, number + 1);
        input.setAttribute("data-accountplans-ready", "");
        wireFilter(input, table);
      }
    });
  }

  function wireFilter(input, table) {
    var status = document.createElement("span");
    status.className = "accountplans-filter-status";
    status.setAttribute("aria-live", "polite");
    input.insertAdjacentElement("afterend", status);
    input.addEventListener("input", function () { applyFilter(table, input.value, status); });
    if (input.value) {
      applyFilter(table, input.value, status);
    }
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setUp);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
