// The invariants of issue 14's "Proof", checked against what the backend and the page observed.
// Each failure names its invariant and shows the requests that broke it.
import { SECRET_MARK } from "./world";
import type { World, WireRequest } from "./world";

/** A link request that left the browser (an offline fetch fails before anything is sent). */
const isLink = (request: WireRequest) =>
  request.method === "POST" && request.path === "/v1/identity" && !request.offline;
const effective = (request: WireRequest) =>
  request.status !== undefined &&
  request.status >= 200 &&
  request.status < 300 &&
  !request.replayed;

const show = (request: WireRequest) =>
  `#${request.seq} tab ${request.tab} ${request.method} ${request.path} ${
    request.path === "/v1/identity" && request.method === "POST"
      ? `body.userId=${JSON.stringify(request.body?.userId)}`
      : `as=${JSON.stringify(request.userHeader)}`
  } visitor=${request.visitorId} key=${request.idempotencyKey} status=${request.status ?? "(none)"}${
    request.replayed ? " replayed" : ""
  } | app wanted ${JSON.stringify(request.intentUserId)} (epoch ${request.epoch})`;

function userMessages(world: World): Map<string, number> {
  const counts = new Map<string, number>();
  for (const message of world.backend.store.messages) {
    if (message.role !== "user") continue;
    counts.set(message.text, (counts.get(message.text) ?? 0) + 1);
  }
  return counts;
}

/** Checked after every command (once its effects have run as far as the network allows). */
export function checkStep(world: World): void {
  for (const tab of world.tabs) {
    if (!tab) continue;
    const identity = tab.client.getIdentity();
    // (1) never identified as a superseded user
    if (identity.status === "identified" && identity.userId !== tab.intent.userId)
      world.violate(
        "(1) never identified as a superseded user",
        `tab ${tab.index} is identified as ${JSON.stringify(identity.userId)}, the app asked for ${JSON.stringify(tab.intent.userId)}`,
      );
    // (4) what the page can read holds no secret
    for (const [where, value] of [
      ["getIdentity()", identity],
      ["getAgentContext()", tab.client.getAgentContext()],
    ] as const)
      if (JSON.stringify(value).includes(SECRET_MARK))
        world.violate(
          "(4) no sensitive value in storage or events",
          `tab ${tab.index} ${where} = ${JSON.stringify(value)}`,
        );
    // (5) a user is only ever seen on a visitor id no other user had
    if (identity.userId !== null && identity.status === "identified") {
      const owner = world.visitorOwner.get(identity.visitorId);
      if (owner !== undefined && owner !== identity.userId)
        world.violate(
          "(5) a new user never shares an earlier user's visitor id",
          `tab ${tab.index} shows ${identity.userId} on ${identity.visitorId}, which was ${owner}'s`,
        );
      else world.visitorOwner.set(identity.visitorId, identity.userId);
    }
  }
  // (4) storage
  for (const value of world.storedValues())
    if (value.includes(SECRET_MARK))
      world.violate("(4) no sensitive value in storage or events", `storage holds ${value}`);

  const links = world.wire.filter(isLink);
  // (2) no link sent for a user the app had already moved away from (or for nobody)
  for (const link of links) {
    if (link.epoch === -1)
      world.violate(
        "(2) no request for a superseded identity",
        `a destroyed client sent ${show(link)}`,
      );
    else if (typeof link.body?.userId !== "string" || link.body.userId !== link.intentUserId)
      world.violate("(2) no request for a superseded identity", show(link));
  }
  // (2) a conversation write goes out as the user the app wants when it is first sent: never as
  // the anonymous visitor of a user who is logging in, never as a user the app moved away from
  const firstSends = new Map<string, WireRequest>();
  for (const request of world.wire) {
    // The first attempt of a write (even one the offline browser never let out) says who it is for.
    const write = request.method === "POST" && request.path.startsWith("/v1/conversations");
    if (!write || request.epoch === -1) continue;
    const key =
      request.idempotencyKey === null
        ? `#${request.seq}`
        : `${request.tab}/${request.idempotencyKey}`;
    if (!firstSends.has(key)) firstSends.set(key, request);
  }
  for (const request of firstSends.values())
    if (request.userHeader !== request.intentUserId)
      world.violate(
        "(2) no request for a superseded identity",
        `a conversation write went out as ${JSON.stringify(request.userHeader)}: ${show(request)}`,
      );
  // (3) one link per identity change: one Idempotency-Key, at most one effective link
  const byChange = new Map<string, WireRequest[]>();
  for (const link of links) {
    const change = `${link.tab}/${link.instance}/${link.epoch}`;
    byChange.set(change, [...(byChange.get(change) ?? []), link]);
  }
  for (const group of byChange.values()) {
    const keys = new Set(group.map((link) => link.idempotencyKey));
    const effectiveCount = group.filter(effective).length;
    if (keys.size !== 1 || keys.has(null) || effectiveCount > 1)
      world.violate(
        "(3) one link per identity change",
        `one identity change sent ${group.length} link request(s) with ${keys.size} Idempotency-Key(s), ${effectiveCount} effective:\n    ${group.map(show).join("\n    ")}`,
      );
  }
  // (5) on the backend: a visitor id is linked to one user only
  const linkedTo = new Map<string, WireRequest>();
  for (const link of links.filter(effective)) {
    const earlier = linkedTo.get(link.visitorId ?? "");
    if (earlier && earlier.body?.userId !== link.body?.userId)
      world.violate(
        "(5) a new user never shares an earlier user's visitor id",
        `the backend linked one visitor to two users:\n    ${show(earlier)}\n    ${show(link)}`,
      );
    else linkedTo.set(link.visitorId ?? "", link);
  }
  // (7) nothing stored twice
  for (const [text, count] of userMessages(world))
    if (count > 1)
      world.violate("(7) no message lost or stored twice", `"${text}" is stored ${count} times`);
  const conversations = world.backend.store.conversations.length;
  if (conversations > world.creates.calls)
    world.violate(
      "(7) no message lost or stored twice",
      `${world.creates.calls} conversations.create() call(s) stored ${conversations} conversations`,
    );
  throwIfViolated(world);
}

/** Checked once the network recovered and everything ran to the end. */
export function checkConverged(world: World): void {
  const target = world.lastRequested.userId;
  const tabs = world.tabs.filter(Boolean);
  const identities = tabs.map((tab) => tab.client.getIdentity());
  // (6) both tabs converge to the last requested identity, and the backend agrees
  for (const [index, identity] of identities.entries()) {
    const expected = target === null ? "anonymous" : "identified";
    if (identity.userId !== target || identity.status !== expected)
      world.violate(
        "(6) both tabs converge to the last requested identity",
        `tab ${index} is ${identity.status} as ${JSON.stringify(identity.userId)}; the last request (tab ${world.lastRequested.by}) was ${JSON.stringify(target)}`,
      );
  }
  if (identities.length === 2 && identities[0]!.visitorId !== identities[1]!.visitorId)
    world.violate(
      "(6) both tabs converge to the last requested identity",
      `the tabs use two visitor ids: ${identities[0]!.visitorId} and ${identities[1]!.visitorId}`,
    );
  if (target !== null && identities[0]?.userId === target) {
    const visitorId = identities[0].visitorId;
    const confirmed = world.wire.filter(
      (request) =>
        isLink(request) &&
        effective(request) &&
        request.visitorId === visitorId &&
        request.body?.userId === target,
    ).length;
    if (confirmed === 0)
      world.violate(
        "(3) one link per identity change",
        `the tabs show ${target} on ${visitorId}, but the backend never linked them`,
      );
  }
  // (6) and no call is left hanging: the client never stays busy for good
  if (world.unsettled.size > 0)
    world.violate(
      "(6) both tabs converge to the last requested identity",
      `calls still pending after the network recovered: ${[...world.unsettled].join(", ")}`,
    );
  // (7) every message the app saw succeed is stored exactly once
  const stored = userMessages(world);
  for (const message of world.messages)
    if (message.outcome === "ok" && stored.get(message.text) !== 1)
      world.violate(
        "(7) no message lost or stored twice",
        `"${message.text}" (sent from tab ${message.tab}, the app saw it succeed) is stored ${stored.get(message.text) ?? 0} times`,
      );
  const conversations = world.backend.store.conversations.length;
  if (conversations < world.creates.ok)
    world.violate(
      "(7) no message lost or stored twice",
      `${world.creates.ok} conversations.create() call(s) succeeded, the backend holds ${conversations}`,
    );
  throwIfViolated(world);
}

function throwIfViolated(world: World): void {
  if (world.violations.length === 0) return;
  const unique = [
    ...new Map(world.violations.map((v) => [`${v.invariant}\n${v.detail}`, v])).values(),
  ];
  const tabs = world.tabs
    .filter(Boolean)
    .map((tab) => `  tab ${tab.index}: ${JSON.stringify(tab.client.getIdentity())}`);
  throw new Error(
    `Invariant violated:\n${unique
      .slice(0, 5)
      .map((v) => `  ${v.invariant}: ${v.detail}`)
      .join(
        "\n",
      )}\nTabs now:\n${tabs.join("\n")}\nRequests sent (last 15 of ${world.wire.length}):\n${world.wire
      .slice(-15)
      .map(
        (request) =>
          `  ${show(request)}${request.offline ? " (offline: never left the browser)" : ""}`,
      )
      .join("\n")}`,
  );
}
