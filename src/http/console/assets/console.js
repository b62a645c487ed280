// Keeps a live page (the queue, the wallboard) current without reloading it: the server tells
// the page (by a server-sent event from the section's data-events address) when what it would
// show has changed, and the page then fetches the section again as HTML from its data-live
// address. Nothing here is needed to work the queue; without it, reloading the page shows the
// same thing.
(function () {
  "use strict";

  var section = document.querySelector("section[data-events]");
  if (!section || !window.EventSource || !window.fetch) {
    return;
  }
  var source = section.getAttribute("data-live");
  var stream = section.getAttribute("data-events");
  var busy = false;
  var again = false;
  var heard = counts(section);
  var sound = soundSwitch();

  // Callers waiting live and open requests, as the section was drawn.
  function counts(drawn) {
    return {
      live: parseInt(drawn.getAttribute("data-waiting") || "0", 10),
      requests: parseInt(drawn.getAttribute("data-requests") || "0", 10),
    };
  }

  // The page's title says how many wait live, so a tab in the background shows it; a new
  // caller (live or a request) plays a short tone where the operator asked for one.
  function tell(drawn) {
    var now = counts(drawn);
    var bare = document.title.replace(/^\(\d+ waiting\) /, "");
    document.title = now.live > 0 ? "(" + now.live + " waiting) " + bare : bare;
    if (now.live > heard.live || now.requests > heard.requests) {
      sound.play();
    }
    heard = now;
  }

  // The "play a sound" switch, kept in this browser. Browsers let a page make sound only
  // after the person has used it, so the tone is prepared on the switch's own click.
  function soundSwitch() {
    var holder = document.getElementById("sound");
    var box = document.getElementById("sound-on");
    var context = null;
    var wanted = false;
    try {
      wanted = window.localStorage.getItem("hotline-sound") === "on";
    } catch (e) {
      wanted = false;
    }
    var Audio = window.AudioContext || window.webkitAudioContext;
    if (!holder || !box || !Audio) {
      return { play: function () {} };
    }
    holder.hidden = false;
    box.checked = wanted;
    function ready() {
      if (!context) {
        context = new Audio();
      }
      if (context.state === "suspended") {
        context.resume();
      }
    }
    box.addEventListener("change", function () {
      wanted = box.checked;
      try {
        window.localStorage.setItem("hotline-sound", wanted ? "on" : "off");
      } catch (e) {
        // Not kept across visits; it still works on this page.
      }
      if (wanted) {
        ready();
      }
    });
    document.addEventListener("click", function () {
      if (wanted) {
        ready();
      }
    });
    return {
      play: function () {
        if (!wanted || !context || context.state !== "running") {
          return;
        }
        var tone = context.createOscillator();
        var level = context.createGain();
        tone.frequency.value = 880;
        level.gain.setValueAtTime(0.2, context.currentTime);
        level.gain.exponentialRampToValueAtTime(0.001, context.currentTime + 0.6);
        tone.connect(level);
        level.connect(context.destination);
        tone.start();
        tone.stop(context.currentTime + 0.6);
      },
    };
  }

  function refresh() {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    fetch(source, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (response.status === 401) {
          // The session has ended: the reload lands on the sign-in form.
          window.location.reload();
          return null;
        }
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        if (html) {
          replace(html);
        }
      })
      .catch(function () {
        // Keep what is shown; the next change tries again.
      })
      .then(function () {
        busy = false;
        if (again) {
          again = false;
          refresh();
        }
      });
  }

  function replace(html) {
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var fresh = holder.querySelector("#" + section.id);
    if (!fresh) {
      return;
    }
    // Someone working with the keyboard keeps their place across the swap.
    var focused = document.activeElement;
    var href = focused && section.contains(focused) ? focused.getAttribute("href") : null;
    section.replaceWith(fresh);
    section = fresh;
    tell(section);
    if (href) {
      var same = section.querySelector('a[href="' + href + '"]');
      if (same) {
        same.focus();
      }
    }
  }

  var events = new EventSource(stream);
  // After a (re)connection anything may have changed meanwhile.
  events.addEventListener("open", refresh);
  events.addEventListener("queue", refresh);
  events.addEventListener("signed-out", function () {
    events.close();
    window.location.reload();
  });
  events.addEventListener("error", function () {
    // A closed stream (not a dropped one, which reconnects by itself) means it was refused,
    // usually because the session ended.
    if (events.readyState === EventSource.CLOSED) {
      window.setTimeout(function () {
        window.location.reload();
      }, 5000);
    }
  });
})();

// Keeps a request page's "Call back in progress" line current while its page is open: the
// state comes from the provider's reports of the call, so it is fetched every few seconds.
// When the call back changed the request itself (its status, holder or attempts), the buttons
// drawn no longer apply: the page reloads, unless the operator has typed notes, who is told
// instead so nothing they wrote is lost.
(function () {
  "use strict";

  var line = document.getElementById("live-call");
  if (!line || !window.fetch) {
    return;
  }
  var source = line.getAttribute("data-live");
  var drawn = line.getAttribute("data-mark");

  function typing() {
    var notes = document.querySelectorAll("textarea");
    for (var i = 0; i < notes.length; i += 1) {
      if (notes[i].value.trim() !== "") {
        return true;
      }
    }
    return false;
  }

  function changed() {
    if (typing()) {
      var notice = document.getElementById("request-changed");
      if (notice) {
        notice.hidden = false;
      }
    } else {
      window.location.reload();
    }
  }

  function refresh() {
    if (document.hidden) {
      return;
    }
    fetch(source, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        if (!html) {
          return;
        }
        var holder = document.createElement("div");
        holder.innerHTML = html;
        var fresh = holder.querySelector("#live-call");
        if (fresh && fresh.getAttribute("data-mark") !== drawn) {
          changed();
        } else if (fresh && fresh.outerHTML !== line.outerHTML) {
          line.replaceWith(fresh);
          line = fresh;
        }
      })
      .catch(function () {
        // Keep what is shown; the next look tries again.
      });
  }

  window.setInterval(refresh, 3000);
})();
