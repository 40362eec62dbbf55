/* Progressive enhancement only: every page works without this file. */
document.documentElement.classList.add("js");

/* A select with data-follows="<id of another select>" shows only the options of the chosen value
   (options carry data-town); the no-JavaScript "update the choices" button is hidden by the "js" class. */
document.querySelectorAll("select[data-follows]").forEach(function (select) {
  var leader = document.getElementById(select.dataset.follows);
  if (!leader) return;
  var options = Array.prototype.slice.call(select.options);
  function follow() {
    options.forEach(function (option) {
      var match = !option.value || !leader.value || option.dataset.town === leader.value;
      option.hidden = !match;
      option.disabled = !match;
      if (!match && option.selected) select.value = "";
    });
  }
  leader.addEventListener("change", follow);
  follow();
});
