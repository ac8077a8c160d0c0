// Sorting for tables marked .sortable: the static order works without JavaScript.
(function () {
  "use strict";
  function cellValue(row, index, numeric) {
    var cell = row.children[index];
    if (!cell) return numeric ? null : "";
    var raw = cell.getAttribute("data-sort-value");
    if (numeric) {
      if (raw === null || raw === "") return null;
      var n = parseFloat(raw);
      return isNaN(n) ? null : n;
    }
    return (raw !== null ? raw : cell.textContent).trim();
  }
  function sortBy(table, header, index) {
    var numeric = header.getAttribute("data-sort") === "number";
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.forEach(function (row, i) { row.setAttribute("data-order", String(i)); });
    rows.sort(function (a, b) {
      var x = cellValue(a, index, numeric), y = cellValue(b, index, numeric);
      var result;
      if (x === null && y === null) result = 0;
      else if (x === null) return 1; // missing values last, whichever the direction
      else if (y === null) return -1;
      else result = numeric ? x - y : String(x).localeCompare(String(y), "zh-CN");
      if (!ascending) result = -result;
      return result || (+a.getAttribute("data-order") - +b.getAttribute("data-order"));
    });
    rows.forEach(function (row) { body.appendChild(row); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) { th.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }
  function setUp(table) {
    if (!table.tHead || !table.tBodies.length) return;
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (header, index) {
      if (!header.hasAttribute("data-sort")) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      button.textContent = header.textContent;
      header.textContent = "";
      header.appendChild(button);
      button.addEventListener("click", function () { sortBy(table, header, index); });
    });
  }
  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), setUp);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
