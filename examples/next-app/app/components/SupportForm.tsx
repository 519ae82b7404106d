"use client";
import type { FormSchema } from "@nametag/core";
import { useForm } from "@nametag/next";

// `user_email` is not a metadata key: exact-name prefill leaves it empty.
const SUPPORT_FORM: FormSchema = {
  fields: [
    { name: "name", label: "Name" },
    { name: "email", label: "Email", type: "email" },
    { name: "plan", label: "Plan" },
    { name: "user_email", label: "Reply-to email", type: "email" },
  ],
};

/** A support form pre-filled from the user's metadata. */
export function SupportForm() {
  const { schema } = useForm(SUPPORT_FORM);
  const fields = schema?.fields ?? SUPPORT_FORM.fields;
  return (
    <section className="panel">
      <h2>Support request</h2>
      {/* Re-mounted when the pre-filled values change, so the inputs show them. */}
      <form
        key={JSON.stringify(fields.map((field) => field.defaultValue ?? ""))}
        data-testid="support-form"
        className="form"
        onSubmit={(event) => event.preventDefault()}
      >
        {fields.map((field) => (
          <label key={field.name}>
            {field.label ?? field.name}
            <input
              name={field.name}
              type={field.type ?? "text"}
              data-testid={`form-field-${field.name}`}
              defaultValue={typeof field.defaultValue === "string" ? field.defaultValue : ""}
            />
          </label>
        ))}
        <button type="submit">Send</button>
      </form>
    </section>
  );
}
