// contract-milestones report: filters, sortable tables and mark tooltips.
// The page is complete without this script; it only hides, orders and explains.
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var tip = document.getElementById("tip");

  // Filters: kind, contract and date range over everything that carries data-kind / data-contract.
  function filter() {
    var kinds = {};
    form.querySelectorAll("input[name=kind]").forEach(function (b) { kinds[b.value] = b.checked; });
    var contract = form.elements.contract.value;
    var from = form.elements.from.value;
    var to = form.elements.to.value;
    var shown = { mark: 0, rec: 0 };
    var total = { mark: 0, rec: 0 };
    document.querySelectorAll("[data-contract]").forEach(function (el) {
      if (el.tagName === "OPTION") return;
      var ok = !contract || el.getAttribute("data-contract") === contract;
      var kind = el.getAttribute("data-kind");
      if (kind !== null) {
        if (kind in kinds && !kinds[kind]) ok = false;
        var date = el.getAttribute("data-date");
        if ((from || to) && !date) ok = false;
        if (date && from && date < from) ok = false;
        if (date && to && date > to) ok = false;
      }
      el.classList.toggle("is-hidden", !ok);
      var group = el.classList.contains("mark") ? "mark" : el.classList.contains("rec") ? "rec" : null;
      if (group) {
        total[group]++;
        if (ok) shown[group]++;
        if (group === "mark") el.setAttribute("tabindex", ok ? "0" : "-1");
      }
    });
    document.getElementById("filter-status").textContent =
      "Showing " + shown.mark + " of " + total.mark + " timeline marks and " + shown.rec + " of " + total.rec + " schedule rows.";
  }

  if (form) {
    form.hidden = false;
    form.addEventListener("input", filter);
    form.addEventListener("change", filter);
    form.addEventListener("reset", function () { setTimeout(filter, 0); });
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    filter();
  }

  // Sortable tables: header text becomes a button; aria-sort tells which column orders the rows.
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var heads = table.querySelectorAll("thead th[data-sort]");
    heads.forEach(function (th, col) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var numeric = th.getAttribute("data-sort") === "num";
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        var key = function (row) {
          var cell = row.cells[col];
          var v = cell.hasAttribute("data-value") ? cell.getAttribute("data-value") : cell.textContent.trim();
          if (numeric) { var n = parseFloat(v); return isNaN(n) ? -Infinity : n; }
          return v.toLowerCase();
        };
        rows.sort(function (a, b) {
          var ka = key(a), kb = key(b);
          var c = ka < kb ? -1 : ka > kb ? 1 : 0;
          return ascending ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });

  // Tooltips on hover and keyboard focus; the native <title> would double them.
  function show(mark) {
    var d = mark.dataset;
    tip.textContent = "";
    var add = function (tag, text, cls) {
      var el = document.createElement(tag);
      el.textContent = text;
      if (cls) el.className = cls;
      tip.appendChild(el);
    };
    add("strong", d.name);
    add("span", (mark.classList.contains("overdue") ? "OVERDUE " : "") + d.kind + ", " + d.date + (d.amount ? ", " + d.amount : ""), "t-meta");
    add("div", d.path + ", page " + d.page, "t-meta");
    if (d.text) add("q", d.text);
    tip.hidden = false;
    var r = mark.getBoundingClientRect();
    var left = Math.min(window.scrollX + r.left, window.scrollX + document.documentElement.clientWidth - tip.offsetWidth - 8);
    tip.style.left = Math.max(8, left) + "px";
    tip.style.top = (window.scrollY + r.bottom + 6) + "px";
  }
  function hide() { tip.hidden = true; }
  document.querySelectorAll(".mark").forEach(function (mark) {
    var title = mark.querySelector("title");
    if (title) title.remove();
    mark.setAttribute("aria-describedby", "tip");
    mark.addEventListener("mouseenter", function () { show(mark); });
    mark.addEventListener("mouseleave", hide);
    mark.addEventListener("focus", function () { show(mark); });
    mark.addEventListener("blur", hide);
  });
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") hide(); });
})();
