// The page's script and style, served by the station itself (no CDN, no build step). The script
// only moves the keyboard around and asks the server: every rule is checked by the server.
import Hummingbird

enum StaticFiles {
    static func addRoutes(to router: Router<StationContext>) {
        router.get("/static/station.js") { _, _ in file(script, "text/javascript; charset=utf-8") }
        router.get("/static/station.css") { _, _ in file(style, "text/css; charset=utf-8") }
    }

    private static func file(_ text: String, _ type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static let script = #"""
        "use strict";
        (function () {
          const csrf = document.body.dataset.csrf;
          const settle = document.getElementById("settle");
          if (!settle) return;
          const item = settle.dataset.item;
          const counts = { total: 0 };
          const keystrokes = document.getElementById("keystrokes");
          const returnDialog = document.getElementById("return-dialog");
          const pageDialog = document.getElementById("page-dialog");
          const reason = document.getElementById("return-reason");

          function post(path, body) {
            return fetch("/items/" + item + "/" + path, {
              method: "POST", credentials: "same-origin",
              headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
              body: JSON.stringify(body || {})
            });
          }

          document.addEventListener("keydown", function (e) {
            counts.total += 1;
            const field = e.target && e.target.dataset ? e.target.dataset.field : undefined;
            if (field) counts[field] = (counts[field] || 0) + 1;
            keystrokes.value = JSON.stringify(counts);
            document.querySelectorAll("input[name=keystrokes]").forEach(function (k) { k.value = keystrokes.value; });
            if (e.key === "Escape") {
              e.preventDefault();
              if (returnDialog.open) { returnDialog.close(); return; }
              if (pageDialog.open) { pageDialog.close(); return; }
              document.getElementById("skip").submit();
            } else if (e.key === "F8") {
              e.preventDefault();
              returnDialog.showModal();
              reason.focus();
            } else if (e.key === "F2") {
              e.preventDefault();
              if (pageDialog.open) pageDialog.close(); else pageDialog.showModal();
            }
          }, true);

          reason.addEventListener("keydown", function (e) {
            const n = parseInt(e.key, 10);
            if (n >= 1 && n <= reason.options.length) { reason.selectedIndex = n - 1; e.preventDefault(); }
            if (e.key === "Enter") { e.preventDefault(); document.getElementById("return").submit(); }
          });
          document.getElementById("return").appendChild(Object.assign(document.createElement("input"),
            { type: "hidden", name: "keystrokes" }));

          document.querySelectorAll("button.unlock").forEach(function (button) {
            button.addEventListener("click", function () {
              const input = document.getElementById("f-" + button.dataset.field);
              input.disabled = false;
              input.classList.remove("locked");
              input.focus();
              input.select();
              button.remove();
            });
          });

          let timers = {};
          document.querySelectorAll("input.key").forEach(function (input) {
            const field = input.dataset.field;
            const cells = document.querySelectorAll(".cells[data-for='" + field + "'] .cell");
            const show = function () {
              cells.forEach(function (cell, i) { cell.textContent = input.value.charAt(i) || ""; });
            };
            show();
            input.addEventListener("input", function () {
              show();
              clearTimeout(timers[field]);
              timers[field] = setTimeout(function () {
                post("check", { field: field, value: input.value }).then(function (r) { return r.json(); }).then(function (answer) {
                  const out = document.getElementById("check-" + field);
                  out.textContent = "";
                  answer.problems.concat(answer.warnings).forEach(function (p) {
                    const span = document.createElement("span");
                    span.className = answer.problems.indexOf(p) >= 0 ? "problem" : "warning";
                    span.textContent = p.message;
                    out.appendChild(span);
                  });
                  input.classList.toggle("valid", answer.valid);
                  input.classList.toggle("invalid", !answer.valid && input.value.length > 0);
                }).catch(function () {});
              }, 120);
            });
          });

          const renewEvery = Math.max(1, parseInt(settle.dataset.renew, 10)) * 1000;
          setInterval(function () {
            post("renew").then(function (r) {
              if (!r.ok) {
                const banner = document.createElement("p");
                banner.className = "message error";
                banner.id = "lost";
                banner.textContent = "This form is no longer yours (the lease ended). Go back to the list.";
                document.querySelector("main").prepend(banner);
              }
            }).catch(function () {});
          }, renewEvery);
        })();
        """#

    static let style = """
        body { font: 16px/1.4 system-ui, sans-serif; margin: 0; background: #f4f4f0; color: #111; }
        main { max-width: 60rem; margin: 0 auto; padding: 1rem; }
        .bar { display: flex; gap: 1rem; align-items: center; padding: .5rem 1rem; background: #1d3b53; color: #fff; }
        .bar a { color: #fff; font-weight: bold; text-decoration: none; } .bar .who { margin-left: auto; }
        .inline { display: inline; }
        .message { padding: .5rem .75rem; border-radius: 4px; background: #e8f0fe; }
        .message.error, .message.disagreement { background: #fde8e8; border: 1px solid #c00; }
        .field { background: #fff; margin: .75rem 0; padding: .5rem .75rem; border-left: 4px solid #ccc; }
        .field.open { border-left-color: #d08000; } .field.blind { border-left-color: #c00; }
        .field h2 { font-size: 1rem; margin: .25rem 0; } .cost, .badge { font-size: .8rem; color: #555; }
        .badge { background: #fff3cd; padding: 0 .3rem; border-radius: 3px; }
        img.crop { display: block; max-width: 100%; height: auto; border: 1px solid #ddd; }
        .cells { display: flex; gap: 2px; margin: .3rem 0; }
        .cell { width: 1.6rem; height: 1.9rem; border: 1px solid #888; text-align: center; font: 1.3rem/1.9rem monospace; background: #fff; }
        .cell.doubtful { background: #ffe08a; border-color: #b07000; }
        input.key { font: 1.3rem monospace; letter-spacing: .25rem; padding: .2rem .4rem; width: 18rem; }
        input.key.locked { background: #eee; color: #333; } input.key.invalid { outline: 2px solid #c00; } input.key.valid { outline: 2px solid #080; }
        .problem { color: #a00; } .warning { color: #8a5a00; } .hint { color: #444; font-size: .9rem; margin: .2rem 0; }
        .keys { color: #555; } dialog img { max-width: 90vw; max-height: 85vh; }
        table.reasons { border-collapse: collapse; margin: 1rem 0; } table.reasons td, table.reasons th { padding: .25rem .75rem; border-bottom: 1px solid #ccc; text-align: left; }
        form.login label { display: block; margin: .5rem 0; }
        """
}
