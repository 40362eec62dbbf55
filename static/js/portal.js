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

/* A "获取验证码" button (partials/sms_code_button.html) waits data-resend-wait seconds, counting down in its
   label; the server refuses an early request anyway, so without this script the button simply stays usable. */
document.querySelectorAll("button[data-resend-wait]").forEach(function (button) {
  var left = parseInt(button.dataset.resendWait, 10) || 0;
  if (left <= 0) return;
  var label = button.textContent;
  var template = button.dataset.countdownText || "{seconds}";
  function tick() {
    if (left <= 0) {
      button.disabled = false;
      button.textContent = label;
      return;
    }
    button.disabled = true;
    button.textContent = template.replace("{seconds}", left);
    left -= 1;
    window.setTimeout(tick, 1000);
  }
  tick();
});
