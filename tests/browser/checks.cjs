#!/usr/bin/env node
// Real-browser checks of the rendered documents, in one headless Chromium launch.
//
//   node tests/browser/checks.cjs < job.json > result.json
//
// job.json: {
//   "chromium": "/usr/bin/chromium",            // optional, this is the default
//   "html": [{"path": "/abs/doc.html", "screenshot": "/abs/doc.png" | null,
//             "viewport": {"width": 1280, "height": 900},
//             "clip": {"height": 2400, "y": 0, "selector": "#governance"} | null,
//             "media": "screen" | "print",
//             "measure": "td.cell-title" | null}],
//   "mermaid": [{"name": "doc.md#1", "code": "gantt\n..."}]
// }
// result.json: {
//   "html": [{"path", "violations": [{"id", "impact", "help", "targets"}], "requests": [url...],
//             "errors": [text...],
//             "cells": [{"text", "ratio", "table"}]}],   // with "measure": each shown cell's
//                                                        // width over its table's, narrowest first
//   "mermaid": [{"name", "ok", "error"}]
// }
// Each HTML file is opened from file:, every request that is not file: (or data:) is
// recorded and refused, axe-core (from node_modules, injected as an inline script) runs
// on the page, and a screenshot is taken when asked. Each mermaid block is given to
// mermaid.parse, from node_modules/mermaid/dist/mermaid.min.js loaded in the same browser.
'use strict';

const fs = require('fs');
const path = require('path');

const TOOLS = process.env.PSC_BROWSER_TOOLS || path.resolve(__dirname, '..', '..', 'tools', 'browser');
const MODULES = path.join(TOOLS, 'node_modules');
const { chromium } = require(path.join(MODULES, 'playwright-core'));

const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

async function checkHtml(browser, item, axeSource) {
  const context = await browser.newContext({ viewport: item.viewport || { width: 1280, height: 900 } });
  const page = await context.newPage();
  const requests = [];
  const errors = [];
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:') || url.startsWith('data:')) {
      return route.continue();
    }
    requests.push(url);
    return route.abort();
  });
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith('file:') && !url.startsWith('data:') && !requests.includes(url)) {
      requests.push(url);
    }
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto('file://' + path.resolve(item.path), { waitUntil: 'load' });
  if (item.media) await page.emulateMedia({ media: item.media });
  // The page itself has no script: count them before axe is injected.
  const scripts = await page.evaluate(() => document.scripts.length);
  if (scripts) errors.push(`the page holds ${scripts} script element(s)`);
  await page.addScriptTag({ content: axeSource });
  const results = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    }));
  });
  let cells = [];
  if (item.measure) {
    cells = await page.evaluate((selector) => [...document.querySelectorAll(selector)]
      .map((cell) => {
        const table = cell.closest('table');
        const box = cell.getBoundingClientRect();
        const whole = table ? table.getBoundingClientRect() : box;
        return { text: cell.textContent.trim().slice(0, 60), width: box.width, tableWidth: whole.width,
          table: table ? table.className : '' };
      })
      .filter((c) => c.width > 0 && c.tableWidth > 0)
      .map((c) => ({ text: c.text, ratio: c.width / c.tableWidth, table: c.table }))
      .sort((a, b) => a.ratio - b.ratio), item.measure);
  }
  if (item.screenshot) {
    const options = { path: item.screenshot, fullPage: !item.clip };
    if (item.clip) {
      const size = page.viewportSize();
      let y = item.clip.y || 0;
      if (item.clip.selector) {
        y += await page.evaluate((s) => document.querySelector(s).getBoundingClientRect().top + window.scrollY,
          item.clip.selector);
      }
      options.clip = { x: 0, y, width: size.width, height: item.clip.height };
      options.fullPage = true;
    }
    await page.screenshot(options);
  }
  await context.close();
  return { path: item.path, violations: results, requests, errors, cells };
}

async function checkMermaid(browser, blocks) {
  if (!blocks.length) return [];
  const page = await browser.newPage();
  await page.route('**/*', (route) => route.abort());
  await page.setContent('<!DOCTYPE html><html lang="en"><head><title>mermaid</title></head><body></body></html>');
  const source = fs.readFileSync(path.join(MODULES, 'mermaid', 'dist', 'mermaid.min.js'), 'utf8');
  await page.addScriptTag({ content: source });
  const results = [];
  for (const block of blocks) {
    const outcome = await page.evaluate(async (code) => {
      try {
        // eslint-disable-next-line no-undef
        const parsed = await mermaid.parse(code);
        return parsed ? { ok: true, error: null } : { ok: false, error: 'mermaid.parse returned false' };
      } catch (error) {
        return { ok: false, error: String((error && error.message) || error) };
      }
    }, block.code);
    results.push({ name: block.name, ...outcome });
  }
  await page.close();
  return results;
}

async function main() {
  const job = JSON.parse(fs.readFileSync(0, 'utf8'));
  const browser = await chromium.launch({
    executablePath: job.chromium || '/usr/bin/chromium',
    headless: true,
    args: ARGS,
  });
  try {
    const axeSource = fs.readFileSync(path.join(MODULES, 'axe-core', 'axe.min.js'), 'utf8');
    const html = [];
    for (const item of job.html || []) {
      html.push(await checkHtml(browser, item, axeSource));
    }
    const mermaid = await checkMermaid(browser, job.mermaid || []);
    process.stdout.write(JSON.stringify({ html, mermaid }, null, 1) + '\n');
  } finally {
    await browser.close();
  }
}

main().catch((error) => {
  process.stderr.write(String((error && error.stack) || error) + '\n');
  process.exit(1);
});
