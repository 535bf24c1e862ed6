// The season's little JavaScript: the upload's progress bar, and dropping files on the upload form.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var bar = document.getElementById("progress");
  if (bar && bar.dataset.poll && Number(bar.dataset.done) < Number(bar.dataset.total)) {
    var timer = setInterval(function () {
      fetch(bar.dataset.poll, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (s) {
        bar.max = s.total; bar.value = s.done;
        document.getElementById("progress-text").textContent = s.done + " / " + s.total;
        if (s.done >= s.total) { clearInterval(timer); window.location.reload(); }
      }).catch(function () {});
    }, 1000);
  }
  var drop = document.getElementById("drop"), input = document.getElementById("files");
  if (drop && input && window.DataTransfer) {
    drop.hidden = false;
    drop.addEventListener("dragover", function (e) { e.preventDefault(); drop.classList.add("over"); });
    drop.addEventListener("dragleave", function () { drop.classList.remove("over"); });
    drop.addEventListener("drop", function (e) {
      e.preventDefault(); drop.classList.remove("over");
      input.files = e.dataTransfer.files;
    });
  }
});
