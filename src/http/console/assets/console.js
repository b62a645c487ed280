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
