import { render, screen } from "@testing-library/react";
import { version } from "react";
import { version as domVersion } from "react-dom";
import { describe, expect, it } from "vitest";
import { NametagProvider, useIdentity } from "../index";
import { setupBackend } from "./testBackend";

const backend = setupBackend();

describe("the React under test", () => {
  it("is the major version this run is for (19 in place, 18 in test-react18)", () => {
    const expected = process.env.EXPECTED_REACT_MAJOR;
    expect(expected).toMatch(/^1[89]$/);
    expect(version.split(".")[0]).toBe(expected);
    expect(domVersion.split(".")[0]).toBe(expected);
    function Status() {
      return <p data-testid="status">{`${useIdentity().status} on React ${version}`}</p>;
    }
    render(
      <NametagProvider client={backend.createClient()}>
        <Status />
      </NametagProvider>,
    );
    expect(screen.getByTestId("status").textContent).toBe(`anonymous on React ${version}`);
  });
});
