"use client";
import type { FormSchema } from "@nametag/next";
import { useForm } from "@nametag/next";
import type { FormEvent } from "react";
import { useState } from "react";

// Core pre-fills a field only when its name equals a userMetadata key exactly, so `user_email`
// stays empty on purpose (there is no `user_email` in the metadata).
const SUPPORT_FORM: FormSchema = {
  title: "Contact support",
  fields: [
    { name: "name", label: "Name", type: "text", required: true },
    { name: "email", label: "Email", type: "email", required: true },
    { name: "plan", label: "Plan", type: "text" },
    { name: "user_email", label: "Another email (optional)", type: "email" },
  ],
};

/** The support form, pre-filled from the user's metadata. */
export function SupportForm() {
  const { schema, error } = useForm(SUPPORT_FORM);
  return (
    <section className="panel">
      <h2>Contact support</h2>
      {error ? (
        <p className="problem">The form could not be loaded: {error.message}</p>
      ) : (
        // A new schema (another user, new metadata) starts a fresh form with its new defaults.
        <Fields key={defaultsOf(schema)} schema={schema ?? SUPPORT_FORM} />
      )}
    </section>
  );
}

const defaultsOf = (schema: FormSchema | undefined) =>
  JSON.stringify(schema?.fields.map((field) => field.defaultValue ?? null) ?? []);

function Fields({ schema }: { schema: FormSchema }) {
  const [sentTo, setSentTo] = useState<string | null>(null);
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const email = new FormData(event.currentTarget).get("email");
    setSentTo(typeof email === "string" ? email : "");
  };
  return (
    <form className="support-form" data-testid="support-form" onSubmit={onSubmit}>
      {schema.fields.map((field) => (
        <label key={field.name}>
          {field.label ?? field.name}
          <input
            name={field.name}
            type={field.type ?? "text"}
            required={field.required}
            defaultValue={field.defaultValue === undefined ? "" : String(field.defaultValue)}
            data-testid={`form-field-${field.name}`}
          />
        </label>
      ))}
      <label>
        How can we help?
        <textarea name="message" rows={3} required />
      </label>
      <button type="submit">Send to support</button>
      {sentTo !== null && (
        <p className="notice">Thanks! We will answer at {sentTo || "your email"}.</p>
      )}
    </form>
  );
}
