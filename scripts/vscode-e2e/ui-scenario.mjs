// What a person sees: drives the real workbench (the page run.mjs opened, after the extension-host suites
// are done) on the article policy with the mouse and the keyboard, checks the DOM at each step, and saves
// screenshots. Each step is a test ("ui: ..."); once one fails, the steps after it are reported skipped.
//
//   squiggle.png   policy.json open, warning squiggles under the unused actions and s3:Get*, the status bar item
//   hover.png      the hover on s3:Get*: the unused actions it allows and the recommended replacement
//   quick-fix.png  the Quick Fix menu (Ctrl+.) on s3:Get*: "Replace s3:Get* with 9 patterns ..."
//   preview.png    "IAM Policy Refiner: Preview Refined Policy" (F1): the diff editor, original ↔ refined
//
// Every wait is on a DOM condition with a deadline; the only fixed delays are short settles before a
// screenshot (so an animation or a cursor blink does not end up in it).
import * as fs from 'node:fs';
import * as path from 'node:path';

export const UI_SUITE = 'ui: the article policy in the workbench';

/** The steps, in order; titles are what the report prints after "ui: the article policy in the workbench › ". */
export const UI_STEPS = [
  'Quick Open (Ctrl+P) opens article/policy.json',
  'warning squiggles: 9, one of them under "s3:Get*"',
  'the status bar item reads "30 unused"',
  'hovering "s3:Get*" shows its 22 unused actions and the 9-pattern replacement',
  'Ctrl+. on "s3:Get*" shows "Replace s3:Get* with 9 patterns that exclude 22 unused actions"',
  'choosing it replaces "s3:Get*" with the 9 patterns in the editor; the status bar reads "8 unused"',
  'F1 "IAM Policy Refiner: Preview Refined Policy" opens the diff editor: policy.json ↔ Refined',
  '"Apply Refined Policy" in the diff editor\'s title bar refines the policy; the status bar reads "0 unused"',
  'the settings editor shows the extension\'s settings in sections, their labels without "Iam Policy Refiner ›"',
];

const QUICK_FIX = 'Replace s3:Get* with 9 patterns that exclude 22 unused actions';
const PREVIEW_COMMAND = 'IAM Policy Refiner: Preview Refined Policy';
const S3_GET_REPLACEMENT = ['s3:GetAccess*', 's3:GetAccountPublicAccessBlock', 's3:GetBucketAbac', 's3:GetBucketMetadataTableConfiguration',
  's3:GetDataAccess', 's3:GetJobTagging', 's3:GetMulti*', 's3:GetObject*', 's3:GetStorage*'];
const UNUSED_LAMBDA = [
  'lambda:AddPermission', 'lambda:GetFunctionConfiguration', 'lambda:UpdateFunctionConfiguration', 'lambda:UpdateFunctionCode',
  'lambda:CreateFunction', 'lambda:DeleteFunction', 'lambda:ListVersionsByFunction', 'lambda:GetFunction',
];

/** Selectors of the workbench (VS Code 1.100). */
const SEL = {
  editor: '.editor-group-container.active .editor-instance .monaco-editor',
  activeTab: '.editor-group-container.active .tab.active',
  statusBar: '#workbench\\.parts\\.statusbar',
  quickInput: '.quick-input-widget',
  quickInputBox: '.quick-input-widget .quick-input-box input',
  quickInputRow: '.quick-input-widget .quick-input-list .monaco-list-row',
  hover: '.monaco-hover',
  actionWidget: '.action-widget',
  diffEditor: '.editor-group-container.active .monaco-diff-editor',
  dialog: '.monaco-dialog-box',
};

/**
 * Runs the scenario on `page`; returns results shaped as the runner's (passes, failures, pending).
 * `log` prints progress; screenshots go to `screenshotsDir`.
 */
export async function runUiScenario(page, { screenshotsDir, log, stepTimeoutMs = 30_000 }) {
  fs.mkdirSync(screenshotsDir, { recursive: true });
  const results = { passes: [], failures: [], pending: [] };
  const ui = new Ui(page, stepTimeoutMs);
  const shots = [];
  const shoot = async (name) => {
    const file = path.join(screenshotsDir, name);
    await ui.settle();
    await page.screenshot({ path: file, timeout: 15_000 });
    shots.push(file);
    log(`ui: screenshot ${file}`);
  };

  const steps = [
    async () => {
      await ui.prepare();
      // In the multi-root workspace Quick Open also lists multi/team-a/policy.json: not that one.
      await ui.quickOpen('policy.json', (label) => !/team-a|multi/.test(label));
      await ui.waitForActiveTab(/^policy\.json/);
      // An earlier test may have left edits: back to the file on disk, as a person would with "File: Revert File".
      await ui.command('File: Revert File');
      await ui.waitForEditorText((t) => t.includes('"s3:Get*"') && t.includes('"lambda:AddPermission"'), 'the original article policy');
    },
    async () => {
      const squiggles = await ui.waitFor('9 warning squiggles in the editor', async () => {
        const n = await page.locator(`${SEL.editor} .squiggly-warning`).count();
        return n === 9 ? n : undefined;
      }, async () => `${await page.locator(`${SEL.editor} .squiggly-warning`).count()} squiggles`);
      const token = await ui.token('"s3:Get*"');
      const box = await token.boundingBox();
      const under = await ui.waitFor('a squiggle under "s3:Get*"', async () => {
        for (const squiggle of await page.locator(`${SEL.editor} .squiggly-warning`).all()) {
          const s = await squiggle.boundingBox();
          if (s && overlaps(s, box)) return s;
        }
        return undefined;
      });
      log(`ui: ${squiggles} squiggles; the one under "s3:Get*" spans x ${Math.round(under.x)}..${Math.round(under.x + under.width)}`);
      await ui.parkMouse();
      await shoot('squiggle.png');
    },
    async () => {
      await ui.waitFor('the status bar item "$(shield) 30 unused"',
        async () => ((await ui.statusItemText()) === '30 unused' ? true : undefined),
        async () => JSON.stringify(await ui.statusItemText()));
    },
    async () => {
      const token = await ui.token('"s3:Get*"');
      const hover = await ui.hoverOver(token, /22 of them unused/);
      const text = await hover.innerText();
      for (const expected of ['s3:Get* allows 63 known actions, 22 of them unused.', 'Recommended replacement (9 patterns)',
        'Unused (22)', 's3:GetAccelerateConfiguration', 's3:GetReplicationConfiguration']) {
        if (!text.includes(expected)) throw new Error(
          `the hover does not show ${JSON.stringify(expected)}; it shows ${JSON.stringify(text)}`);
      }
      // The hover opens on the diagnostic (its message and links to the findings); the hover's own part is
      // below: scroll it into view with the mouse wheel, as a person would.
      await ui.scrollHoverTo(hover, page.locator(`${SEL.hover} p`).filter({ hasText: 'allows 63 known actions' }).first());
      await shoot('hover.png');
      await ui.closeHover();
    },
    async () => {
      await ui.clickIn(await ui.token('"s3:Get*"'));
      await ui.parkMouse();
      await page.keyboard.press('Control+Period');
      const menu = page.locator(SEL.actionWidget).filter({ hasText: QUICK_FIX });
      await ui.waitVisible(menu, `the Quick Fix menu with "${QUICK_FIX}"`);
      await shoot('quick-fix.png');
    },
    async () => {
      // The menu puts a pointer-blocking layer over the page while it opens: choose with the keyboard, as
      // most people do: the arrow keys until the fix is the focused row, then Enter.
      const focused = page.locator(`${SEL.actionWidget} .monaco-list-row.focused`);
      await ui.waitFor(`"${QUICK_FIX}" to be the focused row of the menu`, async () => {
        if ((await focused.getAttribute('aria-label', { timeout: 2_000 })) === QUICK_FIX) return true;
        await page.keyboard.press('ArrowDown');
        return undefined;
      }, async () => JSON.stringify(await focused.getAttribute('aria-label', { timeout: 2_000 })));
      await page.keyboard.press('Enter');
      await ui.waitFor('the Quick Fix menu to close', async () => (!(await page.locator(SEL.actionWidget).isVisible()) ? true : undefined));
      await ui.waitForEditorText((t) => S3_GET_REPLACEMENT.every((p) => t.includes(`"${p}"`)) && !t.includes('"s3:Get*"')
        && UNUSED_LAMBDA.every((a) => t.includes(`"${a}"`)), 'the 9 patterns in place of "s3:Get*", the lambda actions untouched');
      await ui.waitFor('the status bar item "$(shield) 8 unused"',
        async () => ((await ui.statusItemText()) === '8 unused' ? true : undefined),
        async () => JSON.stringify(await ui.statusItemText()));
    },
    async () => {
      // Back to the whole article policy, so that the preview shows every change.
      await ui.command('File: Revert File');
      await ui.waitForEditorText((t) => t.includes('"s3:Get*"'), 'the original article policy');
      // Room for the two sides of the diff.
      await ui.command('View: Close Primary Side Bar');
      await ui.command(PREVIEW_COMMAND);
      await ui.waitVisible(page.locator(SEL.diffEditor), 'the diff editor');
      await ui.waitForActiveTab(/policy\.json ↔ Refined/);
      const modified = page.locator(`${SEL.diffEditor} .editor.modified .view-lines`);
      const original = page.locator(`${SEL.diffEditor} .editor.original .view-lines`);
      await ui.waitFor('the refined text on the right, the original on the left', async () => {
        const right = await modified.innerText();
        const left = await original.innerText();
        const refined = right.includes('"s3:GetAccess*"') && !right.includes('"lambda:AddPermission"');
        return refined && left.includes('"s3:Get*"') ? true : undefined;
      });
      await ui.waitFor('the diff decorations (removed and inserted lines)', async () =>
        ((await page.locator(`${SEL.diffEditor} .line-delete`).count()) > 0
          && (await page.locator(`${SEL.diffEditor} .line-insert`).count()) > 0 ? true : undefined));
      await ui.parkMouse();
      await shoot('preview.png');
    },
    async () => {
      const apply = page.locator('.editor-group-container.active .editor-actions .action-label[aria-label^="Apply Refined Policy"]');
      await ui.waitVisible(apply, 'the "Apply Refined Policy" action in the title bar');
      await apply.click({ timeout: 10_000 });
      await ui.waitFor('policy.json (not the diff) to be the active editor', async () =>
        ((await page.locator(SEL.diffEditor).count()) === 0 || !(
          await page.locator(SEL.diffEditor).first().isVisible()) ? true : undefined));
      await ui.waitForEditorText((t) => S3_GET_REPLACEMENT.every((p) => t.includes(`"${p}"`)) && t.includes('"lambda:Invoke*"')
        && !UNUSED_LAMBDA.some((a) => t.includes(`"${a}"`)), 'the refined article policy');
      await ui.waitFor('the status bar item "$(shield) 0 unused"',
        async () => ((await ui.statusItemText()) === '0 unused' ? true : undefined),
        async () => JSON.stringify(await ui.statusItemText()));
      await ui.waitFor('no squiggles left',
        async () => ((await page.locator(`${SEL.editor} .squiggly-warning`).count()) === 0 ? true : undefined));
    },
    async () => {
      await ui.command('Preferences: Open Settings (UI)');
      await ui.waitVisible(page.locator('.settings-editor'), 'the settings editor');
      // Browsing, as a person finds them: Extensions › IAM Policy Refiner › Findings in the table of contents.
      // (A search shows every setting under its full key, as it does for every extension.)
      const row = (text) => page.locator('.settings-editor .settings-toc-container .monaco-list-row').filter({ hasText: text });
      for (const [text, expand] of [[/^Extensions/, true], [/^IAM Policy Refiner/, true], [/^Findings/, false]]) {
        await ui.waitVisible(row(text), `${text.source.slice(1)} in the table of contents`);
        await row(text).first().click({ timeout: 10_000 });
        if (expand) await page.keyboard.press('ArrowRight');
      }
      const titles = page.locator('.settings-editor .settings-tree-container .setting-item-title');
      const seen = await ui.waitFor('the Findings section\'s settings, "Files" among them',
        async () => {
          const texts = (await titles.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
          return texts.includes('Files') && texts.includes('Max Age Days') ? texts : undefined;
        },
        async () => JSON.stringify(await titles.allInnerTexts()));
      const prefixed = seen.filter((t) => /Iam Policy Refiner/i.test(t));
      if (prefixed.length > 0) throw new Error(`labels still carry the extension's name: ${JSON.stringify(prefixed)}`);
    },
  ];

  let failed = false;
  for (const [i, step] of steps.entries()) {
    const title = UI_STEPS[i];
    const entry = { title, fullTitle: `${UI_SUITE} › ${title}` };
    if (failed) {
      results.pending.push({ ...entry, error: 'skipped: an earlier step failed' });
      continue;
    }
    const started = Date.now();
    try {
      await step();
      results.passes.push({ ...entry, durationMs: Date.now() - started });
      log(`ui: ✔ ${title} (${Date.now() - started} ms)`);
    } catch (error) {
      failed = true;
      const file = path.join(screenshotsDir, `ui-failure-${i + 1}.png`);
      try {
        await page.screenshot({ path: file, timeout: 15_000 });
      } catch {
        // the page may be gone
      }
      // Playwright's messages end with a long call log: the first line says what failed.
      const message = String(error?.message ?? error).split('\n')[0];
      results.failures.push({ ...entry, durationMs: Date.now() - started, error: `${message}\n(screenshot: ${file})` });
      log(`ui: ✖ ${title}: ${message}`);
    }
  }
  results.screenshots = shots;
  return results;
}

function overlaps(a, b) {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height + 4 && b.y < a.y + a.height + 4;
}

class Ui {
  constructor(page, timeout) {
    this.page = page;
    this.timeout = timeout;
  }

  /** Polls `probe` until it returns something other than undefined; throws after the deadline with `describe()`. */
  async waitFor(what, probe, describe, timeout = this.timeout) {
    const deadline = Date.now() + timeout;
    let lastError;
    for (;;) {
      try {
        const value = await probe();
        if (value !== undefined) return value;
        lastError = undefined;
      } catch (error) {
        lastError = error;
      }
      if (Date.now() > deadline) {
        let last = '';
        try {
          last = describe ? `; last seen: ${await describe()}` : '';
        } catch {
          // nothing to add
        }
        throw new Error(`timed out after ${timeout} ms waiting for ${what}${last}${lastError ? `; last error: ${lastError.message}` : ''}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async waitVisible(locator, what, timeout = this.timeout) {
    try {
      await locator.first().waitFor({ state: 'visible', timeout });
    } catch (error) {
      throw new Error(`${what} did not show within ${timeout} ms (${error.message.split('\n')[0]})`, { cause: error });
    }
  }

  /** A moment for animations (hover fade-in, menu slide) and layout to finish before a screenshot. */
  async settle() {
    // Runs in the page, where requestAnimationFrame is a global.
    await this.page.evaluate(() => new Promise((resolve) => {
      const frame = (callback) => globalThis.requestAnimationFrame(callback);
      frame(() => frame(resolve));
    }));
    await new Promise((resolve) => setTimeout(resolve, 250));
  }

  /** Closes what an earlier phase may have left over the workbench: notifications, a dialog, a quick pick. */
  async prepare() {
    const page = this.page;
    await page.bringToFront();
    await this.waitVisible(page.locator('.monaco-workbench'), 'the workbench');
    if (await page.locator(SEL.dialog).isVisible()) await page.keyboard.press('Escape');
    if (await page.locator(SEL.quickInput).isVisible()) await page.keyboard.press('Escape');
    await this.command('Notifications: Clear All Notifications');
  }

  /** Runs a command from the palette (F1), as a person would: types its title and clicks it. */
  async command(label) {
    const page = this.page;
    await this.openQuickInput('F1');
    await page.locator(SEL.quickInputBox).fill(`>${label}`);
    const row = page.locator(SEL.quickInputRow).filter({ hasText: label });
    await this.waitFor(`"${label}" in the command palette`, async () => {
      for (const r of await row.all()) {
        const aria = (await r.getAttribute('aria-label')) ?? '';
        if (aria === label || aria.startsWith(`${label},`) || aria.startsWith(`${label} `)) return r;
      }
      return undefined;
    }, async () => JSON.stringify(
      await Promise.all((await page.locator(SEL.quickInputRow).all()).map((r) => r.getAttribute('aria-label')))))
      .then((r) => r.click({ timeout: 10_000 }));
    await this.waitFor('the command palette to close', async () => (!(await page.locator(SEL.quickInput).isVisible()) ? true : undefined));
  }

  /** Ctrl+P, types `name`, clicks the result whose aria-label (name, folder, state) `accept`s. */
  async quickOpen(name, accept) {
    const page = this.page;
    await this.openQuickInput('Control+P');
    await page.locator(SEL.quickInputBox).fill(name);
    const rows = page.locator(SEL.quickInputRow);
    const labels = () => rows.evaluateAll((elements) => elements.map((e) => e.getAttribute('aria-label') ?? ''));
    const pick = await this.waitFor(`"${name}" in Quick Open`, async () => {
      // Until the filter applies, the list shows the editor history, whose rows then move or go: take one
      // only from the filtered list (every row matches the name), and by its label, not its place.
      const seen = await labels();
      if (seen.length === 0 || !seen.every((aria) => aria.startsWith(name))) return undefined;
      const aria = seen.find((l) => accept(l));
      return aria === undefined ? undefined : rows.and(page.locator(`[aria-label="${aria.replace(/["\\]/g, '\\$&')}"]`));
    }, async () => JSON.stringify(await labels()));
    await pick.click({ timeout: 10_000 });
    await this.waitFor('Quick Open to close', async () => (!(await page.locator(SEL.quickInput).isVisible()) ? true : undefined));
  }

  async openQuickInput(key) {
    const page = this.page;
    await this.waitFor(`the quick input (${key})`, async () => {
      if (!(await page.locator(SEL.quickInputBox).isVisible())) {
        await page.keyboard.press(key);
        await page.locator(SEL.quickInputBox).waitFor({ state: 'visible', timeout: 2_000 });
      }
      return true;
    });
  }

  async waitForActiveTab(label) {
    const tab = this.page.locator(SEL.activeTab);
    return this.waitFor(`the active tab ${label}`, async () => {
      const text = (await tab.first().getAttribute('aria-label')) ?? '';
      return label.test(text) ? text : undefined;
    }, async () => JSON.stringify(await tab.first().getAttribute('aria-label')));
  }

  /** The text of the active editor's visible lines (Monaco renders spaces as non-breaking ones). */
  async editorText() {
    return (await this.page.locator(`${SEL.editor} .view-lines`).first().innerText()).replace(/\u00a0/g, ' ');
  }

  async waitForEditorText(accept, what) {
    return this.waitFor(`the editor to show ${what}`, async () => (accept(await this.editorText()) ? true : undefined),
      async () => JSON.stringify(await this.editorText()));
  }

  /** The token span of the active editor whose text is exactly `text`. */
  async token(text) {
    const locator = this.page.locator(`${SEL.editor} .view-line span > span`).filter({ hasText: text });
    return this.waitFor(`the text ${text} in the editor`, async () => {
      for (const span of await locator.all()) if ((await span.innerText()) === text) return span;
      return undefined;
    });
  }

  async clickIn(token) {
    const box = await token.boundingBox();
    await this.page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  }

  /** Moves the mouse onto `token` and waits for the hover widget to show text matching `ready`. */
  async hoverOver(token, ready) {
    const page = this.page;
    const box = await token.boundingBox();
    const hover = page.locator(SEL.hover).filter({ hasText: ready });
    return this.waitFor(`a hover matching ${ready}`, async () => {
      if (!(await hover.first().isVisible())) {
        // A hover shows after the mouse rests: move in from the side, then wait a little for it.
        await page.mouse.move(box.x + 2, box.y + box.height / 2);
        await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 4 });
        await hover.first().waitFor({ state: 'visible', timeout: 3_000 });
      }
      return hover.first();
    }, async () => JSON.stringify(await page.locator(SEL.hover).allInnerTexts()));
  }

  /** Moves the mouse onto the hover (it stays open: hovers are sticky) and wheels until `target` is at its top. */
  async scrollHoverTo(hover, target) {
    const page = this.page;
    const box = await hover.boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height - 8, { steps: 5 });
    await this.waitFor('the hover to scroll to its own part', async () => {
      const top = (await hover.boundingBox()).y;
      const t = await target.boundingBox();
      if (!t) return undefined;
      const offset = t.y - top;
      if (offset < 30) return true;
      await page.mouse.wheel(0, Math.min(offset - 10, 120));
      return undefined;
    }, async () => `target at ${JSON.stringify(await target.boundingBox())}, hover at ${JSON.stringify(await hover.boundingBox())}`,
      10_000);
    if (!(await hover.isVisible())) throw new Error('the hover closed while scrolling it');
  }

  async closeHover() {
    await this.parkMouse();
    await this.page.keyboard.press('Escape');
    await this.waitFor('the hover to close',
      async () => ((await this.page.locator(SEL.hover).filter({ visible: true }).count()) === 0 ? true : undefined));
  }

  /** Puts the mouse where it shows nothing: over the empty editor area below the text. */
  async parkMouse() {
    const box = await this.page.locator('.editor-group-container.active').first().boundingBox();
    await this.page.mouse.move(box.x + box.width - 30, box.y + box.height - 20);
  }

  /** The status bar item of the extension, without its icon: "30 unused". */
  async statusItemText() {
    const items = await this.page.locator(`${SEL.statusBar} .statusbar-item`).filter({ hasText: /unused|no findings/ }).allInnerTexts();
    return items.map((t) => t.trim()).join(' | ');
  }
}
