import { useCallback } from "react";
import { useClient } from "./context";
import { useSelection } from "./useIdentity";

/**
 * Renders a message template (`"Hello {{userMetadata.name}}!"`) from the sanitized identity and
 * re-renders when the result changes. Missing values render as an empty string.
 */
export function useTemplate(template: string): string {
  const client = useClient("useTemplate");
  return useSelection(
    "useTemplate",
    useCallback(() => client.render(template), [client, template]),
  );
}
