// The station's pages as Mustache templates, kept apart from the code that fills them
// (Pages.swift). {{x}} is HTML-escaped, so a file name or a value from a form is shown as text,
// never run; {{{x}}} is used only for the layout's body, which a template rendered already.
enum Templates {
    static let layout = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}} · Blankett verification</title>
        <link rel="stylesheet" href="/static/station.css">
        <script src="/static/station.js" defer></script>
        </head>
        <body data-csrf="{{csrf}}" data-page="{{page}}">
        {{#clerk}}<header class="bar"><a href="/">Blankett verification</a><span class="who">{{clerk}}</span>
        <form method="post" action="/logout" class="inline"><input type="hidden" name="csrf" value="{{csrf}}"><button id="logout">Log out</button></form></header>{{/clerk}}
        <main>
        {{#message}}<p class="message {{kind}}" role="alert" id="message">{{text}}</p>{{/message}}
        {{{body}}}
        </main>
        </body>
        </html>
        """

    static let login = """
        <h1>Log in</h1>
        <form method="post" action="/login" class="login">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label>Name <input name="name" id="name" autocomplete="username" autofocus required></label>
        <label>Password <input name="password" id="password" type="password" autocomplete="current-password" required></label>
        <button type="submit" id="login">Log in</button>
        </form>
        """

    static let list = """
        <h1>Forms waiting for a person</h1>
        {{#held}}<p>You are settling <a href="/items/{{id}}" id="resume">item {{id}}</a>.</p>{{/held}}
        <table class="reasons">
        <thead><tr><th>Reason</th><th>Forms</th></tr></thead>
        <tbody>{{#reasons}}<tr><td>{{reason}}</td><td>{{count}}</td></tr>{{/reasons}}
        {{^reasons}}<tr><td colspan="2">Nothing is waiting.</td></tr>{{/reasons}}</tbody>
        <tfoot><tr><td>Waiting</td><td id="waiting">{{waiting}}</td></tr><tr><td>Being settled</td><td>{{inProgress}}</td></tr>
        <tr><td>Reserved for another operator</td><td>{{reserved}}</td></tr></tfoot>
        </table>
        <form method="post" action="/next"><input type="hidden" name="csrf" value="{{csrf}}">
        <button type="submit" id="next" autofocus>Next form (Enter)</button></form>
        """

    static let item = """
        <h1>Item {{id}} <span class="file">{{file}}</span></h1>
        <p class="reasons">{{#reasons}}<span class="reason">{{.}}</span> {{/reasons}}</p>
        <form id="settle" method="post" action="/items/{{id}}/settle" data-item="{{id}}" data-renew="{{renewSeconds}}">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="keystrokes" id="keystrokes" value="{}">
        {{#fields}}
        <section class="field{{#open}} open{{/open}}{{#blind}} blind{{/blind}}" id="field-{{name}}">
        <h2>{{name}} <span class="cost">{{cost}}</span>{{#blind}} <span class="badge">key blind</span>{{/blind}}{{#flagged}} <span class="badge">flagged</span>{{/flagged}}</h2>
        {{#picture}}<img class="crop" src="/items/{{id}}/pictures/{{name}}" alt="{{name}} as written">{{/picture}}
        {{#hasCells}}<div class="cells" data-for="{{name}}">{{#cells}}<span class="cell{{#doubtful}} doubtful{{/doubtful}}"></span>{{/cells}}</div>{{/hasCells}}
        <input name="f.{{name}}" id="f-{{name}}" class="key{{^open}} locked{{/open}}" data-field="{{name}}" autocomplete="off" spellcheck="false"
         inputmode="{{inputmode}}" maxlength="{{maxlength}}" value="{{shown}}"{{^open}} disabled{{/open}}{{#first}} autofocus{{/first}}>
        {{^open}}<button type="button" class="unlock" data-field="{{name}}">Unlock</button>{{/open}}
        <p class="hint">{{hint}}</p>
        {{#hasAlternatives}}<p class="alternatives">Other readings: {{#alternatives}}<span class="alt">{{.}}</span> {{/alternatives}}</p>{{/hasAlternatives}}
        <p class="check" id="check-{{name}}" aria-live="polite">{{#problems}}<span class="problem">{{.}}</span> {{/problems}}</p>
        </section>
        {{/fields}}
        <p class="keys">Enter settles · Tab moves · Esc skips · F8 returns to the applicant · F2 shows the page</p>
        <button type="submit" id="settle-button">Settle (Enter)</button>
        </form>
        <form id="skip" method="post" action="/items/{{id}}/skip" class="inline"><input type="hidden" name="csrf" value="{{csrf}}">
        <button type="submit" id="skip-button">Skip (Esc)</button></form>
        <dialog id="return-dialog"><form id="return" method="post" action="/items/{{id}}/return">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <h2>Return to the applicant</h2>
        <select name="reason" id="return-reason" size="{{reasonCount}}">{{#returnReasons}}<option value="{{code}}"{{#first}} selected{{/first}}>{{number}}. {{text}}</option>{{/returnReasons}}</select>
        <button type="submit" id="return-button">Return (Enter)</button></form></dialog>
        <dialog id="page-dialog"><img src="/items/{{id}}/pictures/page" alt="the whole page"></dialog>
        """

    static let error = """
        <h1>{{status}}</h1>
        <p id="error">{{text}}</p>
        <p><a href="/">Back to the list</a></p>
        """
}
