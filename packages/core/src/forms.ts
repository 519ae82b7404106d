import { DEV, fail } from "./errors";
import { sanitizeMetadata } from "./sanitize";
import type { SanitizeOptions } from "./sanitize";
import type { FormProvider, FormSchema, FullUser } from "./types";

/** The sanitizer's options (`sensitiveKeys`, `allowKeys`): what may never be pre-filled. */
export type PrefillOptions = SanitizeOptions;

/**
 * Returns a copy of `schema` whose fields get `defaultValue` from `userMetadata` when the field's
 * `name` equals a metadata key EXACTLY (`user_email` is not filled from `email`). A default the
 * schema already sets wins. Values come from the SANITIZED metadata only, so no secret reaches a
 * form: not by its key (`apiKey`), not nested (`profile` → `{ apiKey }`, `billing[0].cardToken`),
 * not by its shape (a JWT under `note`).
 */
export function prefillForm(
  schema: FormSchema,
  userMetadata: Record<string, unknown> | null | undefined,
  options: PrefillOptions = {},
): FormSchema {
  if (!schema || typeof schema !== "object" || !Array.isArray(schema.fields)) {
    throw fail(
      "INVALID_ARGUMENT",
      DEV &&
        'A form schema must be an object with a fields array: { fields: [{ name: "email" }] }.',
    );
  }
  const metadata = sanitizeMetadata(userMetadata, options).value;
  return {
    ...schema,
    fields: schema.fields.map((field) => {
      const name = field.name;
      const value =
        field.defaultValue === undefined &&
        typeof name === "string" &&
        Object.prototype.hasOwnProperty.call(metadata, name)
          ? metadata[name]
          : undefined;
      return { ...field, ...(value != null && { defaultValue: value }) };
    }),
  };
}

export interface FormRegistry {
  register(name: string, provider: FormProvider): () => void;
  resolve(
    nameOrSchema: string | FormSchema,
    args: Record<string, unknown>,
    user: FullUser,
    options?: PrefillOptions,
  ): Promise<FormSchema>;
}

/** Named async form providers (Ansa's registerFormSchema), called with `(args, user)`. */
export function createFormRegistry(): FormRegistry {
  const providers = new Map<string, FormProvider>();
  return {
    register(name, provider) {
      if (typeof name !== "string" || !name || typeof provider !== "function") {
        throw fail(
          "INVALID_ARGUMENT",
          DEV &&
            "forms.register(name, provider) needs a form name and a function (args, user) => schema.",
        );
      }
      providers.set(name, provider);
      return () => {
        if (providers.get(name) === provider) providers.delete(name);
      };
    },
    async resolve(nameOrSchema, args, user, options) {
      let schema = nameOrSchema;
      if (typeof schema === "string") {
        const provider = providers.get(schema);
        if (!provider) {
          throw fail(
            "FORM_NOT_FOUND",
            DEV &&
              `No form named "${schema}" is registered. Call forms.register("${schema}", provider) first.`,
          );
        }
        schema = await provider(args, user);
      }
      return prefillForm(schema, user.userMetadata, options);
    },
  };
}
