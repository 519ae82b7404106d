import { describe, expect, it } from "vitest";
import { createNametag } from "../createNametag";
import type { NametagError } from "../errors";
import { resolveHttpTool } from "../httpTool";
import { API_URL } from "./setup";

// The seed's tool, verbatim.
const GET_MY_ORDERS = {
  name: "get_my_orders",
  description: "Get the user's recent orders",
  httpUrl: "https://api.yourstore.com/users/{{userId}}/orders",
  httpMethod: "GET",
  httpHeaders: { Authorization: "Bearer {{userMetadata.authToken}}" },
};

describe("resolveHttpTool", () => {
  it("resolves the seed's get_my_orders from the FULL identity", async () => {
    const nametag = createNametag({ apiUrl: API_URL, persistence: "memory" });
    await nametag.identify({
      userId: "user_123",
      userMetadata: { authToken: "eyJhbGciOiJIUzI1NiIs...", email: "jane@example.com" },
    });
    expect(nametag.resolveHttpTool(GET_MY_ORDERS)).toEqual({
      url: "https://api.yourstore.com/users/user_123/orders",
      method: "GET",
      headers: { Authorization: "Bearer eyJhbGciOiJIUzI1NiIs..." },
      body: undefined,
    });
    // The agent never sees the token the tool used.
    expect(JSON.stringify(nametag.getAgentContext())).not.toContain("eyJhbGci");
  });

  it("percent-encodes URL values and refuses header injection", () => {
    const data = { userId: "u1", userMetadata: { q: "a&b=c d", authToken: "t\r\nX-Evil: 1" } };
    expect(
      resolveHttpTool({ httpUrl: "https://x.test/search?q={{userMetadata.q}}" }, data).url,
    ).toBe("https://x.test/search?q=a%26b%3Dc%20d");
    let error: unknown;
    try {
      resolveHttpTool(GET_MY_ORDERS, data);
    } catch (caught) {
      error = caught;
    }
    expect((error as NametagError).code).toBe("UNSAFE_HEADER_VALUE");
  });

  it("renders bodies: strings as text, objects leaf by leaf and then as JSON", () => {
    const data = { userId: "u1", userMetadata: { name: 'Jane "JJ"' } };
    expect(
      resolveHttpTool(
        { httpUrl: "https://x.test", httpMethod: "post", httpBody: "hi {{userMetadata.name}}" },
        data,
      ),
    ).toMatchObject({
      method: "POST",
      body: 'hi Jane "JJ"',
    });
    const resolved = resolveHttpTool(
      {
        httpUrl: "https://x.test",
        httpMethod: "POST",
        httpBody: { who: "{{userMetadata.name}}", ids: ["{{userId}}", 3], n: null },
      },
      data,
    );
    expect(JSON.parse(resolved.body as string)).toEqual({
      who: 'Jane "JJ"',
      ids: ["u1", 3],
      n: null,
    });
  });

  it("keeps a __proto__ key of a body as data and renders an array body", () => {
    const data = { userId: "u1", userMetadata: {} };
    const httpBody = JSON.parse('{"__proto__": {"who": "{{userId}}"}, "n": 1}') as Record<
      string,
      unknown
    >;
    const resolved = resolveHttpTool({ httpUrl: "https://x.test", httpBody }, data);
    expect(resolved.body).toBe('{"__proto__":{"who":"u1"},"n":1}');
    expect(
      resolveHttpTool({ httpUrl: "https://x.test", httpBody: ["{{userId}}"] as never }, data).body,
    ).toBe('["u1"]');
  });

  it("accepts any letters as a method and any RFC 9110 token as a header name", () => {
    const data = { userId: "u1", userMetadata: {} };
    expect(
      resolveHttpTool(
        {
          httpUrl: "https://x.test",
          httpMethod: "purge",
          httpHeaders: { "X-Tag_1!#$%&'*+.^`|~": "{{userId}}" },
        },
        data,
      ),
    ).toMatchObject({ method: "PURGE", headers: { "X-Tag_1!#$%&'*+.^`|~": "u1" } });
    for (const method of ["M-SEARCH", "GET1", ""]) {
      expect(() => resolveHttpTool({ httpUrl: "https://x", httpMethod: method }, data)).toThrow(
        /not an HTTP method/,
      );
    }
    for (const name of ["X:Y", "X(Y)", "", "Ü"]) {
      expect(() =>
        resolveHttpTool({ httpUrl: "https://x", httpHeaders: { [name]: "1" } }, data),
      ).toThrow(/header name/);
    }
  });

  it("refuses malformed tools", () => {
    const data = { userId: "u1", userMetadata: {} };
    expect(() => resolveHttpTool({} as never, data)).toThrow(/httpUrl/);
    expect(() => resolveHttpTool(null as never, data)).toThrow(/httpUrl/);
    expect(() => resolveHttpTool({ httpUrl: "https://x", httpMethod: "GET /x" }, data)).toThrow(
      /not an HTTP method/,
    );
    expect(() =>
      resolveHttpTool({ httpUrl: "https://x", httpHeaders: { "Bad Header": "1" } }, data),
    ).toThrow(/header name/);
  });

  // Issue 15.
  const codeOf = (run: () => unknown): string | undefined => {
    try {
      run();
    } catch (error) {
      return (error as NametagError).code;
    }
    return undefined;
  };

  it("refuses . and .. as a path value instead of climbing to another route", () => {
    for (const orderId of [".", ".."]) {
      const data = { userId: "user_123", userMetadata: { orderId } };
      expect(
        codeOf(() =>
          resolveHttpTool(
            {
              httpUrl: "https://api.yourstore.com/users/{{userId}}/orders/{{userMetadata.orderId}}",
            },
            data,
          ),
        ),
      ).toBe("UNSAFE_URL_VALUE");
    }
    // The seed's tool with a real id still resolves.
    expect(
      resolveHttpTool(GET_MY_ORDERS, { userId: "user_123", userMetadata: { authToken: "t" } }).url,
    ).toBe("https://api.yourstore.com/users/user_123/orders");
  });

  it("refuses CONNECT, TRACE and TRACK in any case", () => {
    for (const method of ["CONNECT", "trace", "Track"]) {
      expect(
        codeOf(() => resolveHttpTool({ httpUrl: "https://x.test", httpMethod: method }, {})),
      ).toBe("INVALID_ARGUMENT");
    }
  });

  it("gives a NametagError for a header value fetch would refuse with a TypeError", () => {
    for (const token of ["t\u0000", "caf\u00e9\u2019s", "\u{1f511}"]) {
      // What fetch would do with it: a TypeError at send time.
      expect(() => new Headers({ Authorization: `Bearer ${token}` })).toThrow(TypeError);
    }
    // Other control characters pass fetch but are refused too (log and proxy injection).
    for (const token of ["t\u0000", "t\u0007", "t\u001b[31m", "caf\u00e9\u2019s", "\u{1f511}"]) {
      expect(
        codeOf(() =>
          resolveHttpTool(GET_MY_ORDERS, { userId: "u1", userMetadata: { authToken: token } }),
        ),
      ).toBe("UNSAFE_HEADER_VALUE");
    }
    // A non-Latin-1 character in the tool's own header text is refused too.
    expect(
      codeOf(() =>
        resolveHttpTool(
          { httpUrl: "https://x.test", httpHeaders: { "X-Note": "\u2713 {{userId}}" } },
          { userId: "u1" },
        ),
      ),
    ).toBe("UNSAFE_HEADER_VALUE");
  });

  it("JSON-escapes the values of a JSON string body, so a value cannot add a field", () => {
    const name = 'Jane", "role": "admin';
    const data = { userId: "u1", userMetadata: { name } };
    const httpBody = '{"name": "{{userMetadata.name}}", "id": "{{userId}}"}';
    for (const httpHeaders of <Array<Record<string, string> | undefined>>[
      { "Content-Type": "application/json" },
      { "content-type": "application/vnd.api+json" },
      undefined,
    ]) {
      const { body } = resolveHttpTool(
        { httpUrl: "https://x.test", httpMethod: "POST", httpHeaders, httpBody },
        data,
      );
      expect(JSON.parse(body as string)).toEqual({ name, id: "u1" });
    }
    // A form body is percent-encoded.
    expect(
      resolveHttpTool(
        {
          httpUrl: "https://x.test",
          httpMethod: "POST",
          httpHeaders: { "Content-Type": "application/x-www-form-urlencoded" },
          httpBody: "name={{userMetadata.name}}&id={{userId}}",
        },
        { userId: "u1", userMetadata: { name: "a&role=admin" } },
      ).body,
    ).toBe("name=a%26role%3Dadmin&id=u1");
  });
});
