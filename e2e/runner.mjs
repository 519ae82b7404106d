// A small table-driven runner: every scenario on every example, one fresh browser context (or
// more) per scenario, a screenshot per step, and a report in vitest's JSON shape so that
// scripts/test-summary.mjs adds the browser suite to the repository's test count.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { chromium } from "playwright-core";
import { mockClient } from "./helpers.mjs";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];
const SCENARIO_TIMEOUT_MS = 90_000;
// CI allows 10 minutes for this step; a healthy run takes 1.5-2. Past the budget, the scenarios
// left are reported as failed without running, so a hanging example cannot stall CI.
const SUITE_BUDGET_MS = Number(process.env.E2E_BUDGET_MS ?? 8 * 60_000);

export function launchChromium() {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

const slug = (text) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 60);

/** Runs one scenario on one example and returns a vitest-shaped assertion result. */
async function runScenario({ browser, app, scenario, artifactsDir }) {
  const started = Date.now();
  const dir = join(artifactsDir, app.id, slug(scenario.name));
  mkdirSync(dir, { recursive: true });
  const contexts = [];
  const consoleErrors = [];
  let stepNumber = 0;
  let currentStep = "setup";

  const screenshotAll = async (label) => {
    stepNumber += 1;
    const pages = contexts.flatMap((context) => context.pages());
    await Promise.all(
      pages.map((page, index) =>
        page
          .screenshot({
            fullPage: true,
            path: join(
              dir,
              `${String(stepNumber).padStart(2, "0")}-${slug(label)}${pages.length > 1 ? `-tab${index + 1}` : ""}.png`,
            ),
          })
          .catch(() => {}),
      ),
    );
  };

  const t = {
    app,
    mock: mockClient(app.mock.url),
    async newContext(options = {}) {
      const context = await browser.newContext({
        viewport: { width: 1280, height: 900 },
        ...options,
      });
      context.setDefaultTimeout(15_000);
      context.on("page", (page) => {
        page.on("console", (message) => {
          if (message.type() === "error") consoleErrors.push(`[${currentStep}] ${message.text()}`);
        });
        page.on("pageerror", (error) =>
          consoleErrors.push(`[${currentStep}] pageerror: ${error.message}`),
        );
      });
      contexts.push(context);
      return context;
    },
    log(message) {
      if (process.env.E2E_VERBOSE) console.log(`    ${message}`);
    },
    async step(label, fn) {
      currentStep = label;
      const stepStarted = Date.now();
      await fn();
      await screenshotAll(label);
      if (process.env.E2E_VERBOSE) console.log(`    ${label}: ${Date.now() - stepStarted} ms`);
    },
  };

  let failure;
  let timer;
  try {
    await t.mock.reset();
    await Promise.race([
      scenario.run(t),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`timed out after ${SCENARIO_TIMEOUT_MS} ms`)),
          SCENARIO_TIMEOUT_MS,
        );
      }),
    ]);
  } catch (error) {
    failure = error;
    await screenshotAll(`failed-${currentStep}`);
  } finally {
    clearTimeout(timer);
    await Promise.allSettled(contexts.map((context) => context.close()));
  }

  const failureMessages = failure
    ? [
        `step "${currentStep}": ${failure.stack ?? failure}` +
          (consoleErrors.length
            ? `\nbrowser console errors:\n${consoleErrors.slice(-10).join("\n")}`
            : "") +
          `\nscreenshots: ${dir}`,
      ]
    : [];
  return {
    ancestorTitles: [app.label],
    fullName: `${app.label} ${scenario.name}`,
    title: scenario.name,
    status: failure ? "failed" : "passed",
    duration: Date.now() - started,
    failureMessages,
  };
}

/**
 * Runs `scenarios` on each started app (sequentially: two cores), printing one line per result.
 * Returns the vitest-shaped report.
 */
export async function runSuite({ apps, scenarios, artifactsDir, log = console.log }) {
  const startTime = Date.now();
  const browser = await launchChromium();
  const testResults = [];
  try {
    for (const app of apps) {
      const fileStarted = Date.now();
      const assertionResults = [];
      for (const scenario of scenarios) {
        const result =
          Date.now() - startTime > SUITE_BUDGET_MS
            ? notRun(
                app,
                scenario,
                `not run: the suite's ${SUITE_BUDGET_MS / 1000} s budget ran out`,
              )
            : await runScenario({ browser, app, scenario, artifactsDir });
        assertionResults.push(result);
        log(
          `${result.status === "passed" ? "✓" : "✗"} [${app.id}] ${scenario.name} (${(result.duration / 1000).toFixed(1)} s)`,
        );
        for (const message of result.failureMessages) log(indent(message));
      }
      testResults.push(fileResult(`e2e/${app.id}`, assertionResults, fileStarted));
    }
  } finally {
    await browser.close().catch(() => {});
  }
  return report(testResults, startTime);
}

function notRun(app, scenario, reason) {
  return {
    ancestorTitles: [app.label],
    fullName: `${app.label} ${scenario.name}`,
    title: scenario.name,
    status: "failed",
    duration: 0,
    failureMessages: [reason],
  };
}

/** A result for something that failed before any scenario could run (missing build, no server). */
export function setupFailure(title, error) {
  const now = Date.now();
  const result = {
    ancestorTitles: ["setup"],
    fullName: `setup ${title}`,
    title,
    status: "failed",
    duration: 0,
    failureMessages: [String(error?.stack ?? error)],
  };
  return report([fileResult("e2e/setup", [result], now)], now);
}

function fileResult(name, assertionResults, startTime) {
  const failed = assertionResults.some((result) => result.status === "failed");
  return {
    name,
    status: failed ? "failed" : "passed",
    startTime,
    endTime: Date.now(),
    message: "",
    assertionResults,
  };
}

function report(testResults, startTime) {
  const all = testResults.flatMap((file) => file.assertionResults);
  const numPassedTests = all.filter((result) => result.status === "passed").length;
  const numFailedTests = all.length - numPassedTests;
  return {
    numTotalTestSuites: testResults.length,
    numPassedTestSuites: testResults.filter((file) => file.status === "passed").length,
    numFailedTestSuites: testResults.filter((file) => file.status === "failed").length,
    numPendingTestSuites: 0,
    numTotalTests: all.length,
    numPassedTests,
    numFailedTests,
    numPendingTests: 0,
    numTodoTests: 0,
    startTime,
    success: numFailedTests === 0,
    testResults,
  };
}

export function writeReport(file, value) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

const indent = (text) =>
  text
    .split("\n")
    .map((line) => `    ${line}`)
    .join("\n");
