// What a scenario needs to act like a person in the browser and to look at what the backend saw.
// Selectors come only from the examples' UI contract (COMMON.md): data-testids and data-role.
import assert from "node:assert/strict";
import { API_KEY } from "./servers.mjs";

export const USERS = {
  jane: {
    userId: "user_jane",
    name: "Jane Smith",
    email: "jane@example.com",
    plan: "enterprise",
    company: "Acme Inc",
    secret: "demo-jane-auth-token-7f3a",
  },
  omar: {
    userId: "user_omar",
    name: "Omar Haddad",
    email: "omar@example.com",
    plan: "pro",
    company: "Globex",
  },
};

export const VISITOR_ID = /^v_\d+_[a-z0-9]+$/;
export const LINK_PATH = "/v1/identity";
const BROWSER_LINK_PATH = `/api/nametag${LINK_PATH}`;

export const byTestId = (page, id) => page.locator(`[data-testid="${id}"]`);
const messages = (page, role) =>
  page.locator(`[data-testid="message-list"] [data-role${role ? `="${role}"` : ""}]`);

/** Retries `check` until it stops throwing; rethrows its last error after `timeout` ms. */
export async function eventually(check, { timeout = 10_000, interval = 100 } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, interval));
    }
  }
}

/** Trimmed text of the first element with that test id ("" when it is not on the page). */
export async function textOf(page, id) {
  const locator = byTestId(page, id).first();
  if ((await locator.count()) === 0) return "";
  return ((await locator.textContent()) ?? "").trim();
}

export async function identityStatus(page) {
  return (await textOf(page, "identity-status")).toLowerCase();
}

/** Waits until `identity-status` shows `status` (and, if given, `user-id` shows `userId`). */
export async function waitForIdentity(page, status, { userId, timeout = 15_000 } = {}) {
  await eventually(
    async () => {
      const shown = await identityStatus(page);
      assert.ok(shown.includes(status), `identity-status shows "${shown}", expected "${status}"`);
      if (userId !== undefined) {
        assert.equal(await textOf(page, "user-id"), userId, "user-id");
      }
    },
    { timeout },
  );
}

export async function visitorId(page) {
  const id = await textOf(page, "visitor-id");
  assert.match(id, VISITOR_ID, "visitor-id should look like v_<epoch ms>_<base36>");
  return id;
}

/** Clicks login-<who> and waits for the example to show that user identified. */
export async function login(page, who, { waitForIdentified = true, timeout = 20_000 } = {}) {
  await byTestId(page, `login-${who}`).first().click();
  if (waitForIdentified) {
    await waitForIdentity(page, "identified", { userId: USERS[who].userId, timeout });
  }
}

export async function logout(page, { timeout = 15_000 } = {}) {
  await byTestId(page, "logout").first().click();
  await waitForIdentity(page, "anonymous", { userId: "", timeout });
}

export const messageTexts = async (page, role) =>
  (await messages(page, role).allTextContents()).map((text) => text.trim());

/** Types `text` into the chat, sends it, and returns the agent's reply text. */
export async function sendMessage(page, text, { timeout = 15_000 } = {}) {
  const repliesBefore = await messages(page, "agent").count();
  await byTestId(page, "chat-input").first().fill(text);
  await byTestId(page, "chat-send").first().click();
  return eventually(
    async () => {
      const mine = await messageTexts(page, "user");
      assert.ok(
        mine.some((shown) => shown.includes(text)),
        `the sent message should be in message-list: ${JSON.stringify(mine)}`,
      );
      const replies = await messageTexts(page, "agent");
      assert.ok(replies.length > repliesBefore, "waiting for the agent's reply");
      return replies.at(-1);
    },
    { timeout },
  );
}

/**
 * Makes sure `text` is shown in message-list: it may already be (the example kept the
 * conversation open), else the conversation holding it is opened from conversation-list.
 */
export async function expectMessageInHistory(page, text, { timeout = 10_000 } = {}) {
  const shown = async () =>
    assert.ok(
      (await messageTexts(page)).some((message) => message.includes(text)),
      `"${text}" should be in message-list`,
    );
  try {
    await eventually(shown, { timeout: 2_000 });
    return;
  } catch {
    // not open: look for it in the list
  }
  const items = byTestId(page, "conversation-item");
  await eventually(async () => assert.ok((await items.count()) > 0, "conversation-list is empty"), {
    timeout,
  });
  const count = await items.count();
  for (let index = 0; index < count; index += 1) {
    await items.nth(index).click();
    try {
      await eventually(shown, { timeout: 2_000 });
      return;
    } catch {
      // try the next conversation
    }
  }
  await shown();
}

/** Everything a person (or a script on the page) could read: markup, form values, storage. */
export async function pageSnapshot(page) {
  return page.evaluate(() => {
    const fieldValues = [...document.querySelectorAll("input, textarea, select")].map(
      (element) => element.value,
    );
    const dump = (storage) => {
      const entries = {};
      for (let index = 0; index < storage.length; index += 1) {
        const key = storage.key(index);
        entries[key] = storage.getItem(key);
      }
      return entries;
    };
    return {
      dom: `${document.documentElement.outerHTML}\n${fieldValues.join("\n")}`,
      localStorage: dump(window.localStorage),
      sessionStorage: dump(window.sessionStorage),
    };
  });
}

/** Asserts none of `needles` appears in the DOM, web storage or the context's cookies. */
export async function expectNowhere(page, needles, { where = ["dom", "storage", "cookies"] } = {}) {
  const snapshot = await pageSnapshot(page);
  const cookies = await page.context().cookies();
  const places = {
    dom: snapshot.dom,
    storage: JSON.stringify({ local: snapshot.localStorage, session: snapshot.sessionStorage }),
    cookies: cookies.map((cookie) => `${cookie.name}=${safeDecode(cookie.value)}`).join("\n"),
  };
  for (const place of where) {
    for (const needle of needles) {
      assert.ok(!places[place].includes(needle), `"${needle}" must not be in the page's ${place}`);
    }
  }
  return { snapshot, cookies };
}

function safeDecode(value) {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Records the link requests (POST /api/nametag/v1/identity) the pages of `context` send. */
export function recordLinkRequests(context) {
  const sent = [];
  const failed = [];
  const isLink = (request) =>
    request.method() === "POST" && new URL(request.url()).pathname === BROWSER_LINK_PATH;
  context.on("request", (request) => isLink(request) && sent.push(request));
  context.on("requestfailed", (request) => isLink(request) && failed.push(request));
  return { sent, failed };
}

/** Records the JSON bodies of `POST /api/nametag/v1/conversations` responses (created ids). */
export function recordCreatedConversations(context) {
  const ids = [];
  context.on("response", async (response) => {
    const request = response.request();
    if (request.method() !== "POST") return;
    if (new URL(request.url()).pathname !== "/api/nametag/v1/conversations") return;
    if (response.status() !== 201) return;
    try {
      const body = await response.json();
      const id = body?.id ?? body?.conversation?.id;
      if (id) ids.push(id);
    } catch {
      // the page went away before the body was read
    }
  });
  return ids;
}

/** Talks to a mock's admin routes and, with the API key, to its server API. */
export function mockClient(baseUrl) {
  const call = async (method, path, body, headers = {}) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { "content-type": "application/json", ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const data = text ? JSON.parse(text) : undefined;
    if (!response.ok) {
      throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`);
    }
    return data;
  };
  return {
    url: baseUrl,
    reset: () => call("POST", "/__mock/reset"),
    fault: (fault) => call("POST", "/__mock/faults", fault),
    requests: async () => (await call("GET", "/__mock/requests")).requests,
    /** The link requests the backend received, in order: { status, idempotencyKey, replayed }. */
    linkRequests: async () =>
      (await call("GET", "/__mock/requests")).requests.filter(
        (request) => request.method === "POST" && request.path.split("?")[0] === LINK_PATH,
      ),
    userConversations: async (externalId) =>
      (
        await call(
          "GET",
          `/v1/users/external/${encodeURIComponent(externalId)}/conversations`,
          undefined,
          {
            authorization: `Bearer ${API_KEY}`,
          },
        )
      ).conversations,
  };
}

/** Asserts the backend stored exactly one link: one 200 that was not an idempotent replay. */
export async function expectLinkedOnce(mock, { timeout = 15_000 } = {}) {
  return eventually(
    async () => {
      const links = await mock.linkRequests();
      const stored = links.filter((link) => link.status === 200 && !link.replayed);
      assert.equal(
        stored.length,
        1,
        `exactly one link should land; the backend saw ${JSON.stringify(links)}`,
      );
      return links;
    },
    { timeout },
  );
}

/** Records every value `identity-status` takes from the first parsed byte on (set before goto). */
export function recordStatusFrames(context) {
  return context.addInitScript(() => {
    const frames = [];
    window.__nametagStatusFrames = frames;
    const record = () => {
      const element = document.querySelector('[data-testid="identity-status"]');
      if (!element) return;
      const value = (element.textContent ?? "").trim();
      if (frames.at(-1) !== value) frames.push(value);
    };
    new MutationObserver(record).observe(document, {
      subtree: true,
      childList: true,
      characterData: true,
    });
    document.addEventListener("DOMContentLoaded", record);
    record();
  });
}

export const statusFrames = (page) => page.evaluate(() => window.__nametagStatusFrames ?? []);

/** The text of identity-status in server-rendered HTML, or undefined if it is not there. */
export function statusInHtml(html) {
  const match = /data-testid="identity-status"[^>]*>([^<]*)</.exec(html);
  return match ? match[1].trim() : undefined;
}

export const unique = (label) => `${label} ${Math.random().toString(36).slice(2, 8)}`;
