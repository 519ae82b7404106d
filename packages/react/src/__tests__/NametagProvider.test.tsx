import { render, renderHook, screen } from "@testing-library/react";
import { StrictMode } from "react";
import * as core from "@nametag/core";
import { describe, expect, expectTypeOf, it, vi } from "vitest";
import type * as react from "../index";
import * as reactRuntime from "../index";
import {
  NametagProvider,
  useAutoIdentify,
  useConversations,
  useForm,
  useIdentity,
  useNametag,
  useTemplate,
  useVisitorId,
} from "../index";
import { API_URL, setupBackend } from "./testBackend";

const backend = setupBackend();

// React logs the error a render throws (React 18 also re-dispatches it as a window error event,
// which jsdom prints): keep the output readable.
const quietly = <T,>(run: () => T): T => {
  vi.spyOn(console, "error").mockImplementation(() => {});
  const swallow = (event: ErrorEvent) => event.preventDefault();
  window.addEventListener("error", swallow);
  try {
    return run();
  } finally {
    window.removeEventListener("error", swallow);
  }
};

describe("NametagProvider", () => {
  it.each([
    ["useNametag", () => useNametag()],
    ["useIdentity", () => useIdentity()],
    ["useVisitorId", () => useVisitorId()],
    ["useAutoIdentify", () => useAutoIdentify(null)],
    ["useTemplate", () => useTemplate("Hi")],
    ["useForm", () => useForm("support")],
    ["useConversations", () => useConversations()],
  ])("%s() outside a provider throws an error that names the fix", (hook, use) => {
    expect(() => quietly(() => renderHook(use))).toThrowError(
      expect.objectContaining({
        code: "MISSING_PROVIDER",
        message: expect.stringContaining(`${hook}() must be used inside <NametagProvider>`),
      }),
    );
  });

  it("refuses to be nested in another provider", () => {
    const client = backend.createClient();
    expect(() =>
      quietly(() =>
        render(
          <NametagProvider client={client}>
            <NametagProvider options={{ apiUrl: API_URL }}>child</NametagProvider>
          </NametagProvider>,
        ),
      ),
    ).toThrowError(expect.objectContaining({ code: "NESTED_PROVIDER" }));
  });

  it("hands the given client to the hooks and mounts it once per mount, also in StrictMode", () => {
    const client = backend.createClient();
    const mount = vi.spyOn(client, "mount");
    const unmount = vi.spyOn(client, "unmount");
    const seen: unknown[] = [];
    function Probe() {
      seen.push(useNametag());
      return null;
    }
    const view = render(
      <StrictMode>
        <NametagProvider client={client}>
          <Probe />
        </NametagProvider>
      </StrictMode>,
    );
    expect(new Set(seen)).toEqual(new Set([client]));
    // StrictMode mounts, unmounts and mounts again: one net mount.
    expect(mount.mock.calls.length - unmount.mock.calls.length).toBe(1);
    view.unmount();
    expect(mount.mock.calls.length).toBe(unmount.mock.calls.length);
    expect(backend.requests).toEqual([]);
  });

  it("creates one client from options and keeps it across re-renders", () => {
    const seen = new Set<unknown>();
    function Probe({ label }: { label: string }) {
      seen.add(useNametag());
      return <p>{label}</p>;
    }
    const tree = (label: string) => (
      <StrictMode>
        <NametagProvider options={{ apiUrl: API_URL, persistence: "memory", crossTab: false }}>
          <Probe label={label} />
        </NametagProvider>
      </StrictMode>
    );
    const view = render(tree("first"));
    view.rerender(tree("second"));
    expect(screen.getByText("second")).toBeTruthy();
    expect(seen.size).toBe(1);
    const [client] = seen as Set<ReturnType<typeof useNametag>>;
    expect(client?.getIdentity().status).toBe("anonymous");
  });

  it("warns once in development when its options change after the first render, naming the fix", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const seen = new Set<ReturnType<typeof useNametag>>();
    function Probe() {
      seen.add(useNametag());
      return null;
    }
    const tree = (apiUrl: string) => (
      <NametagProvider options={{ apiUrl, persistence: "memory", crossTab: false }}>
        <Probe />
      </NametagProvider>
    );
    const view = render(tree(API_URL));
    expect(warn).toHaveBeenCalledTimes(0);
    view.rerender(tree("http://other.test"));
    view.rerender(tree("http://third.test"));
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[0]).toContain("options changed after the first render (apiUrl)");
    expect(warn.mock.calls[0]?.[0]).toContain("key={apiUrl}");
    expect(warn.mock.calls[0]?.[0]).toContain("or pass a client");
    // The change really is ignored: one client, still the first one.
    expect(seen.size).toBe(1);
    view.unmount();
  });

  it("does not warn when re-rendered with equal options written inline", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const tree = (label: string) => (
      <NametagProvider
        options={{
          apiUrl: API_URL,
          persistence: "memory",
          crossTab: false,
          sensitiveKeys: ["ssn", /^card/],
          headers: { "x-app": "demo" },
          onError: () => {},
        }}
      >
        <p>{label}</p>
      </NametagProvider>
    );
    const view = render(tree("first"));
    view.rerender(tree("second"));
    view.rerender(tree("third"));
    expect(screen.getByText("third")).toBeTruthy();
    expect(warn).toHaveBeenCalledTimes(0);
    view.unmount();
  });

  it("has a displayName for React DevTools", () => {
    expect(NametagProvider.displayName).toBe("NametagProvider");
  });
});

describe("@nametag/react's entry", () => {
  it("re-exports core's NametagError and isNametagError, so errors are checked without importing core", () => {
    expect(reactRuntime.NametagError).toBe(core.NametagError);
    expect(reactRuntime.isNametagError).toBe(core.isNametagError);
    const error = new reactRuntime.NametagError("INVALID_USER_ID", "userId is invalid");
    expect(reactRuntime.isNametagError(error) && error.code).toBe("INVALID_USER_ID");
  });

  it("re-exports the public types of core by name", () => {
    expectTypeOf<react.Conversation>().toEqualTypeOf<core.Conversation>();
    expectTypeOf<react.Message>().toEqualTypeOf<core.Message>();
    expectTypeOf<react.SendMessageResponse>().toEqualTypeOf<core.SendMessageResponse>();
    expectTypeOf<react.Identity>().toEqualTypeOf<core.Identity>();
    expectTypeOf<react.NametagOptions>().toEqualTypeOf<core.NametagOptions>();
    expectTypeOf<react.NametagErrorCode>().toEqualTypeOf<core.NametagErrorCode>();
    expectTypeOf<react.FormSchema>().toEqualTypeOf<core.FormSchema>();
  });
});
