/* Wiring: what the controls do, the review kept from an earlier visit, and the mark that the page is ready. */
function cellAt(target) {
  var cell = target.closest("td.g");
  return cell ? [Number(cell.dataset.c), Number(cell.parentNode.dataset.n)] : null;
}
heatmap.addEventListener("click", function (event) {
  var at = cellAt(event.target);
  if (at) { select(at[0], at[1]); }
});
heatmap.addEventListener("keydown", function (event) {
  var at = cellAt(event.target);
  if (at && (event.key === "Enter" || event.key === " ")) { event.preventDefault(); select(at[0], at[1]); }
});
document.addEventListener("click", function (event) {
  var columnButton = event.target.closest(".open-column");
  if (columnButton) { openColumn(Number(columnButton.dataset.c)); }
  var topic = event.target.closest(".pick-topic");
  if (topic) { topicSelect.value = topic.dataset.topic; applyTopic(); }
});
panel.querySelector(".close").addEventListener("click", close);
document.addEventListener("keydown", function (event) { if (event.key === "Escape") { close(); } });
document.getElementById("expand").addEventListener("click", function () {
  fillList();
  var list = document.getElementById("print-list");
  list.hidden = false;
  list.scrollIntoView();
});
window.addEventListener("beforeprint", fillList);
sortSelect.addEventListener("change", applyOrder);
groupBox.addEventListener("change", applyOrder);
topicSelect.addEventListener("change", applyTopic);
findBox.addEventListener("input", applyOrder);

document.getElementById("download").addEventListener("click", download);
document.getElementById("undo").addEventListener("click", undo);
document.getElementById("open-decisions").addEventListener("change", function (event) {
  openFiles(event.target.files);
  event.target.value = "";
});
nameInput.addEventListener("change", setName);
nameInput.addEventListener("keydown", function (event) { if (event.key === "Enter") { event.preventDefault(); setName(); } });

var restored = restore();
nameInput.value = review.reviewer;
restored.forEach(redraw);
rows = topicRows();
drawOverview();
applyOrder();
drawQueue();
document.documentElement.dataset.ready = "1";
if (window.performance && performance.mark) { performance.mark("yigai-ready"); }
