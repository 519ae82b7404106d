import type { FormSchema } from "@nametag/core";
import { useForm } from "@nametag/react";
import type { FormEvent } from "react";
import { useState } from "react";

/** The "support" form registered in nametag.ts, pre-filled from the user's metadata. */
export function SupportForm() {
  const { schema, error } = useForm("support");
  return (
    <section className="panel">
      <h2>{typeof schema?.title === "string" ? schema.title : "Contact support"}</h2>
      {error ? (
        <p className="problem">The form could not be loaded: {error.message}</p>
      ) : (
        // A new schema (another user, new metadata) starts a fresh form with its new defaults.
        <Fields key={defaultsOf(schema)} schema={schema} />
      )}
    </section>
  );
}

const defaultsOf = (schema: FormSchema | undefined) =>
  JSON.stringify(schema?.fields.map((field) => field.defaultValue ?? null) ?? []);

function Fields({ schema }: { schema: FormSchema | undefined }) {
  const [sentTo, setSentTo] = useState<string | null>(null);
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const email = new FormData(event.currentTarget).get("email");
    setSentTo(typeof email === "string" ? email : "");
  };
  return (
    <form className="support-form" data-testid="support-form" onSubmit={onSubmit}>
      {schema?.fields.map((field) => (
        <label key={field.name}>
          {field.label ?? field.name}
          <input
            name={field.name}
            type={field.type ?? "text"}
            required={field.required}
            disabled={field.disabled}
            defaultValue={field.defaultValue === undefined ? "" : String(field.defaultValue)}
            data-testid={`form-field-${field.name}`}
          />
        </label>
      ))}
      <label>
        How can we help?
        <textarea name="message" rows={3} required />
      </label>
      <button type="submit" disabled={!schema}>
        Send to support
      </button>
      {sentTo !== null && (
        <p className="notice">Thanks! We will answer at {sentTo || "your email"}.</p>
      )}
    </form>
  );
}
