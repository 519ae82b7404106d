import type { FormSchema } from "@nametag/core";
import { act, render, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { useLayoutEffect } from "react";
import { NametagProvider, useForm, useIdentity } from "../index";
import { JANE, OMAR, setupBackend } from "./testBackend";

const backend = setupBackend();

const SUPPORT: FormSchema = {
  fields: [
    { name: "name", label: "Name" },
    { name: "email", label: "Email", type: "email" },
    { name: "user_email", label: "Other email", type: "email" },
  ],
};

function SupportForm({ args }: { args?: Record<string, unknown> }) {
  const { schema, loading, error } = useForm("support", args);
  if (error) return <p data-testid="error">{String(error.code)}</p>;
  if (loading || !schema) return <p>loading</p>;
  return (
    <form data-testid="form">
      {schema.fields.map((field) => (
        <input
          key={field.name}
          name={field.name}
          readOnly
          value={String(field.defaultValue ?? "")}
        />
      ))}
    </form>
  );
}

const value = (name: string) =>
  (screen.getByTestId("form").querySelector(`input[name="${name}"]`) as HTMLInputElement).value;

describe("useForm", () => {
  it("resolves a registered form, pre-fills exact names, and resolves again on identify", async () => {
    const client = backend.createClient();
    const calls: Array<Record<string, unknown>> = [];
    client.forms.register("support", (args) => {
      calls.push(args);
      return SUPPORT;
    });
    const view = render(
      <NametagProvider client={client}>
        <SupportForm args={{ topic: "billing" }} />
      </NametagProvider>,
    );
    await waitFor(() => expect(value("name")).toBe(""));

    await act(() => client.identify(JANE));
    await waitFor(() => expect(value("name")).toBe("Jane Smith"));
    expect(value("email")).toBe("jane@example.com");
    expect(value("user_email")).toBe("");
    expect(calls.at(-1)).toEqual({ topic: "billing" });
    // Once as a visitor, once for Jane: identifying → identified alone does not resolve again.
    expect(calls).toHaveLength(2);

    // A new but equal args object is not a new form.
    view.rerender(
      <NametagProvider client={client}>
        <SupportForm args={{ topic: "billing" }} />
      </NametagProvider>,
    );
    expect(calls).toHaveLength(2);

    await act(() => client.updateMetadata({ name: "Jane Doe" }));
    await waitFor(() => expect(value("name")).toBe("Jane Doe"));
    expect(calls).toHaveLength(3);
  });

  it("reports a form that is not registered as an error", async () => {
    const client = backend.createClient();
    render(
      <NametagProvider client={client}>
        <SupportForm />
      </NametagProvider>,
    );
    await waitFor(() => expect(screen.getByTestId("error").textContent).toBe("FORM_NOT_FOUND"));
  });

  it("never commits a render that pairs a new user with the previous user's values", async () => {
    const client = backend.createClient();
    client.forms.register("support", () => SUPPORT);
    const commits: Array<[string | null, string]> = [];
    function Probe() {
      const userId = useIdentity((identity) => identity.userId);
      const { schema } = useForm("support");
      const name = String(schema?.fields[0]?.defaultValue ?? "");
      useLayoutEffect(() => {
        commits.push([userId, name]);
      });
      return <p data-testid="probe">{`${userId}:${name}`}</p>;
    }
    render(
      <NametagProvider client={client}>
        <Probe />
      </NametagProvider>,
    );
    await act(() => client.identify(JANE));
    await waitFor(() =>
      expect(screen.getByTestId("probe").textContent).toBe("user_jane:Jane Smith"),
    );
    await act(() => client.identify(OMAR));
    await waitFor(() =>
      expect(screen.getByTestId("probe").textContent).toBe("user_omar:Omar Haddad"),
    );
    const leaks = commits.filter(
      ([userId, name]) => userId !== "user_jane" && name === "Jane Smith",
    );
    expect(leaks).toEqual([]);
  });
});
