// What the lifecycle pages share: building elements (text is always text: a name or reply with markup shows as typed),
// the signed-in person's key, calls to the service with it, and times in the operator's offset.
"use strict";

const el = (tag, attrs = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v == null) continue;
    if (k.startsWith("on")) node.addEventListener(k.slice(2), v); else node.setAttribute(k, v === true ? "" : v);
  }
  for (const child of children.flat(Infinity)) node.append(child instanceof Node ? child : document.createTextNode(child ?? ""));
  return node;
};

// The person's key (X-Api-Key of Security:Users) or bearer token, kept for this tab only.
const identity = {
  get: () => sessionStorage.getItem("cd-credential") ?? "",
  set: value => sessionStorage.setItem("cd-credential", value.trim()),
  headers() {
    const credential = this.get();
    if (!credential) return {};
    return credential.split(".").length === 3 ? { Authorization: `Bearer ${credential}` } : { "X-Api-Key": credential };
  },
};

// The sign-in box every lifecycle page has: a password field that keeps the key for the tab.
function signIn(onChange) {
  const input = el("input", { type: "password", id: "credential", autocomplete: "off", placeholder: "key or token / 密钥或令牌", value: identity.get() });
  input.addEventListener("change", () => { identity.set(input.value); onChange?.(); });
  return el("label", { class: "signin" }, "Your key / 您的密钥 ", input);
}

class ProblemError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

// A call to the service; a problem answer is thrown with its title, detail and errors by field.
async function api(method, url, body) {
  const response = await fetch(url, {
    method,
    headers: { ...identity.headers(), ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) throw new ProblemError(response.status, data);
  return data;
}

// A problem as a person reads it: the title, the detail, and each field's errors.
function problemText(error) {
  if (!(error instanceof ProblemError)) return String(error);
  const p = error.problem ?? {};
  const fields = Object.entries(p.errors ?? {}).map(([field, messages]) => `${field}: ${[].concat(messages).join(" ")}`);
  const who = error.status === 401 ? " Sign in with your key above. 请先在上方输入您的密钥。" : "";
  return [p.title, p.detail, ...fields].filter(Boolean).join(" ") + who;
}

const offset = document.querySelector('meta[name="utc-offset"]')?.content ?? "+08:00";
function localTime(iso) {
  if (!iso) return "";
  const m = /^([+-])(\d{2}):(\d{2})$/.exec(offset);
  const minutes = m ? (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
  const shifted = new Date(Date.parse(iso) + minutes * 60000).toISOString();
  return `${shifted.slice(0, 10)} ${shifted.slice(11, 19)} (${m ? offset : "UTC"})`;
}

// A page says each time it has (re)drawn from the service: data-loads on the body counts them (tests wait on it).
function loaded() {
  document.body.dataset.loads = String(Number(document.body.dataset.loads ?? 0) + 1);
}

// The navigation between the pages.
function nav(current) {
  const links = [["/rules", "Rules / 规则"], ["/rules/edit", "Edit / 编辑"], ["/proposals", "Proposals / 变更提案"], ["/releases", "Releases / 发布"], ["/record", "Record / 记录"]];
  return el("nav", {}, links.map(([href, text]) => href === current ? el("strong", {}, text) : el("a", { href }, text)));
}
