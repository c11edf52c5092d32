// The API page's only script: served by the gateway at /docs/app.js, nothing loaded from elsewhere (the page's
// Content-Security-Policy allows this origin only). It reads the gateway's own OpenAPI document, lists its operations
// and lets a developer try one: the real call's answer, and beside it the dry run (`?dryRun=true`), the exact request
// the gateway sends Kore.ai for it. Every text from the document or an answer goes in as text, never as markup.
"use strict";

(function () {
  const METHODS = ["get", "post", "put", "delete", "patch"];
  // Headers worth showing from an answer.
  const SHOWN_HEADERS = ["content-type", "etag", "location", "retry-after", "x-request-id", "x-upstream-version",
                         "traceparent", "allow"];
  // Parameters the page sets itself (the key's tenant, the dry run) or leaves to clients (ids of the request).
  const IMPLICIT = new Set(["X-Tenant", "X-Request-Id", "dryRun", "traceparent", "tracestate"]);

  let documentRoot = null;
  let selected = null;
  let hints = {};

  function $(id) { return document.getElementById(id); }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function resolve(item) {
    if (!item || !item.$ref) { return item; }
    return item.$ref.replace(/^#\//, "").split("/").reduce(function (node, key) { return node && node[key]; }, documentRoot);
  }

  /// Every operation of the document: method, path, id, summary, scope, parameters (path-level first), body example.
  function operations(doc) {
    const found = [];
    Object.keys(doc.paths || {}).forEach(function (path) {
      const item = doc.paths[path];
      const shared = (item.parameters || []).map(resolve);
      METHODS.forEach(function (method) {
        const op = item[method];
        if (!op) { return; }
        const own = (op.parameters || []).map(resolve);
        const names = new Set(own.map(function (p) { return p.in + ":" + p.name; }));
        const parameters = shared.filter(function (p) { return !names.has(p.in + ":" + p.name); }).concat(own);
        let example = null;
        const content = op.requestBody && op.requestBody.content && op.requestBody.content["application/json"];
        if (content) {
          if (content.example !== undefined) { example = content.example; }
          else if (content.examples) {
            const first = Object.keys(content.examples)[0];
            example = first ? resolve(content.examples[first]).value : null;
          }
        }
        found.push({ method: method.toUpperCase(), path: path, id: op.operationId || method + " " + path,
                     summary: op.summary || "", scope: op["x-scope"] || null, tag: (op.tags || ["other"])[0],
                     parameters: parameters, hasBody: Boolean(op.requestBody), example: example });
      });
    });
    return found;
  }

  function renderList(list) {
    const nav = $("operations");
    nav.textContent = "";
    let tag = null;
    list.forEach(function (op) {
      if (op.tag !== tag) {
        tag = op.tag;
        nav.appendChild(element("h4", null, tag));
      }
      const button = element("button", "op");
      button.type = "button";
      button.dataset.operationId = op.id;
      button.appendChild(element("span", "method " + op.method.toLowerCase(), op.method));
      button.appendChild(element("code", null, op.path));
      button.appendChild(element("span", "summary", op.summary.replace(/`/g, "")));
      button.addEventListener("click", function () { select(op, button); });
      nav.appendChild(button);
    });
  }

  function select(op, button) {
    selected = op;
    document.querySelectorAll("button.op.selected").forEach(function (b) { b.classList.remove("selected"); });
    button.classList.add("selected");
    $("try").hidden = false;
    $("try-title").textContent = op.method + " " + op.path;
    $("try-summary").textContent = op.summary.replace(/`/g, "") + (op.scope ? "" : " (no key needed)");
    const params = $("try-params");
    params.textContent = "";
    op.parameters.forEach(function (p) {
      if (IMPLICIT.has(p.name)) { return; }
      const label = element("label", null, p.name + (p.in === "path" ? "" : " (" + p.in + (p.required ? "" : ", optional") + ")"));
      const schema = p.schema || {};
      let input;
      if (schema.enum) {
        input = element("select");
        if (p.in !== "path") { input.appendChild(element("option", null, "")); }
        schema.enum.forEach(function (value) { input.appendChild(element("option", null, String(value))); });
      } else {
        input = element("input");
        input.type = "text";
        input.spellcheck = false;
      }
      input.id = "param-" + p.name;
      input.dataset.in = p.in;
      input.dataset.name = p.name;
      const hinted = hints[p.name];
      if (hinted !== undefined && (p.in === "path")) { input.value = hinted; }
      label.appendChild(input);
      params.appendChild(label);
    });
    $("body-label").hidden = !op.hasBody;
    $("try-body").value = op.hasBody && op.example !== null ? JSON.stringify(op.example, null, 2) : "";
    reset("answer", "answer-status", "Nothing sent yet.");
    reset("upstream", "upstream-line", "The request the gateway would send Kore.ai, token redacted.");
  }

  function reset(panel, line, text) {
    $(panel).dataset.state = "idle";
    $(line).textContent = text;
    $(panel).querySelectorAll("pre").forEach(function (pre) { pre.textContent = ""; });
  }

  /// The URL and headers of the selected operation with the form's values; null (and a message) when incomplete.
  function request(dryRun) {
    let path = selected.path;
    const query = [];
    const headers = {};
    let missing = null;
    document.querySelectorAll("#try-params [data-name]").forEach(function (input) {
      const value = input.value.trim();
      if (input.dataset.in === "path") {
        if (!value) { missing = missing || input.dataset.name; }
        path = path.replace("{" + input.dataset.name + "}", encodeURIComponent(value));
      } else if (value && input.dataset.in === "query") {
        query.push(encodeURIComponent(input.dataset.name) + "=" + encodeURIComponent(value));
      } else if (value && input.dataset.in === "header") {
        headers[input.dataset.name] = value;
      }
    });
    if (missing) { return { missing: missing }; }
    if (dryRun) { query.push("dryRun=true"); }
    const key = $("api-key").value.trim();
    const tenant = $("tenant").value.trim();
    if (key) { headers.Authorization = "Bearer " + key; }
    if (tenant) { headers["X-Tenant"] = tenant; }
    let body;
    if (selected.hasBody) {
      headers["Content-Type"] = "application/json";
      body = $("try-body").value;
    }
    return { url: path + (query.length ? "?" + query.join("&") : ""), options: { method: selected.method, headers: headers, body: body,
             credentials: "omit", cache: "no-store", redirect: "manual" } };
  }

  function pretty(text) {
    try { return JSON.stringify(JSON.parse(text), null, 2); } catch (e) { return text; }
  }

  async function call(dryRun) {
    const built = request(dryRun);
    if (built.missing) { throw new Error("fill in " + built.missing); }
    const response = await fetch(built.url, built.options);
    return { url: built.url, response: response, text: await response.text() };
  }

  function describeUpstream(request) {
    const headers = Object.keys(request.headers || {}).map(function (name) { return name + ": " + request.headers[name]; });
    return { line: request.method + " " + request.url, headers: headers.join("\n"),
             body: request.body === null || request.body === undefined ? "" : JSON.stringify(request.body, null, 2) };
  }

  async function run(dryRunOnly) {
    if (!selected) { return; }
    const answer = $("answer"), upstream = $("upstream");
    answer.dataset.state = "running";
    upstream.dataset.state = "running";
    // The dry run first: it shows what the call will send before the call changes anything.
    try {
      const dry = await call(true);
      let shown = null;
      try { shown = JSON.parse(dry.text); } catch (e) { shown = null; }
      if (dry.response.ok && shown && shown.dryRun && shown.upstreamRequest) {
        const described = describeUpstream(shown.upstreamRequest);
        $("upstream-line").textContent = described.line;
        $("upstream-read-first").textContent = shown.upstreamReadFirst
          ? "read first: " + describeUpstream(shown.upstreamReadFirst).line : "";
        $("upstream-headers").textContent = described.headers;
        $("upstream-body").textContent = described.body;
      } else {
        $("upstream-line").textContent = "No dry run: " + dry.response.status + " " + dry.response.statusText;
        $("upstream-read-first").textContent = "";
        $("upstream-headers").textContent = "";
        $("upstream-body").textContent = pretty(dry.text);
      }
    } catch (error) {
      $("upstream-line").textContent = "Dry run failed: " + error.message;
    }
    upstream.dataset.state = "done";
    if (dryRunOnly) {
      $("answer-status").textContent = "Not sent: dry run only. Kore.ai was not called.";
      $("answer-headers").textContent = "";
      $("answer-body").textContent = "";
      answer.dataset.state = "done";
      return;
    }
    try {
      const real = await call(false);
      $("answer-status").textContent = real.response.status + " " + (real.response.statusText || "") + "  " + selected.method + " " + real.url;
      const headers = [];
      real.response.headers.forEach(function (value, name) {
        if (SHOWN_HEADERS.indexOf(name.toLowerCase()) >= 0) { headers.push(name + ": " + value); }
      });
      $("answer-headers").textContent = headers.sort().join("\n");
      $("answer-body").textContent = pretty(real.text);
    } catch (error) {
      $("answer-status").textContent = "Not sent: " + error.message;
    }
    answer.dataset.state = "done";
  }

  async function start() {
    $("try-form").addEventListener("submit", function (event) { event.preventDefault(); run(false); });
    $("dry-run").addEventListener("click", function () { run(true); });
    try {
      const hinted = await fetch("/docs/hints.json", { cache: "no-store", credentials: "omit" });
      if (hinted.ok) { hints = await hinted.json(); }
      if (hints.apiKey) { $("api-key").value = hints.apiKey; }
      if (hints.tenant) { $("tenant").value = hints.tenant; }
      const response = await fetch("/openapi.json", { cache: "no-store", credentials: "omit" });
      documentRoot = await response.json();
      renderList(operations(documentRoot));
      document.body.dataset.operations = String(document.querySelectorAll("button.op").length);
    } catch (error) {
      $("operations").textContent = "";
      $("operations").appendChild(element("p", "error", "Could not read /openapi.json: " + error.message));
    }
  }

  start();
})();
