import fs from 'node:fs';
import path from 'node:path';
import { expectNoHorizontalOverflow } from './overflow';
import { expect, test } from './fixtures';

const TOKEN = '01H4R15D3478JD26YDYK408XE6';

test('edit a profile in the app: an error shown inline as you type, fixed, saved, an order made from it', async ({
  app,
  station,
}) => {
  await app.goto(app.url().replace(/#.*$/, '') + '#/profiles');
  await app
    .getByRole('list', { name: 'Profiles' })
    .getByRole('button', { name: /ioto-demo/ })
    .click();
  await app.getByRole('button', { name: 'New profile from this' }).click();
  const editor = app.getByRole('article', { name: 'Profile editor' });
  await editor.getByLabel('Save as').fill('line-gw');
  const text = editor.getByRole('textbox', { name: 'Profile text' });
  await expect(text).toContainText("product: 'sealed:");
  await expect(text).not.toContainText(TOKEN);
  await expect(editor.getByTestId('draft-verdict')).toHaveText('No problems.');
  await expect(editor.getByTestId('draft-entropy')).toContainText('50.0 bits');

  // Highlighting: the string is its own token. Folding: the ids section folds and unfolds.
  await expect(text.locator('.cm-line span', { hasText: "'Ioto Demo'" })).toHaveCount(1);
  await text.locator('.cm-line', { hasText: 'ids: {' }).click();
  await app.keyboard.press('Control+Shift+BracketLeft');
  await expect(text.locator('.cm-foldPlaceholder')).toHaveCount(1);
  await expect(text.locator('.cm-line', { hasText: 'alphabet:' })).toHaveCount(0);
  await app.keyboard.press('Control+Shift+BracketRight');
  await expect(text.locator('.cm-line', { hasText: 'alphabet:' })).toHaveCount(1);

  // Type an ID length that gives too little entropy: the problem appears under its line.
  const lengthLine = text.locator('.cm-line', { hasText: 'length: 10' });
  await lengthLine.click();
  await app.keyboard.press('End');
  await app.keyboard.press('Backspace');
  await app.keyboard.press('Backspace');
  await app.keyboard.press('Backspace');
  await app.keyboard.type('6,');
  const note = editor.locator('.cm-problem-note');
  await expect(note).toHaveCount(1);
  await expect(note).toContainText('The claim-ID policy gives 30.0 bits of entropy');
  // The note sits right under the line it is about, its caret at the value's column.
  await expect(note.locator('xpath=preceding-sibling::div[1]')).toHaveText(/length: 6,/);
  await expect(editor.locator('.cm-lintRange-error')).toHaveText('length');
  await expect(editor.getByTestId('draft-entropy')).toContainText('30.0 bits');
  await expect(editor.getByRole('button', { name: 'Save profile' })).toBeDisabled();
  const problems = editor.getByRole('list', { name: 'Draft problems' });
  const lineNo =
    (await text.locator('.cm-line').allTextContents()).findIndex((l) => l.includes('length: 6')) + 1;
  await expect(problems).toContainText(`line ${lineNo}, column 5`);

  // Fix it.
  await app.keyboard.press('Backspace');
  await app.keyboard.press('Backspace');
  await app.keyboard.type('12,');
  await expect(note).toHaveCount(0);
  await expect(editor.getByTestId('draft-verdict')).toHaveText('No problems.');
  await expect(editor.getByTestId('draft-entropy')).toContainText('60.0 bits');
  const preview = editor.getByLabel('Draft device.json5 preview');
  await expect(preview).toContainText(`product: "01H4${'•'.repeat(18)}8XE6"`);
  await expect(preview).toContainText(/id: "[0-9A-HJKMNP-TV-Z]{12}"/);
  expect(await app.content()).not.toContain(TOKEN);

  await expectNoHorizontalOverflow(app);
  await editor.getByRole('button', { name: 'Save profile' }).click();
  await expect(editor.getByRole('status')).toContainText('Saved as line-gw');
  const file = path.join(station.dataDir, 'profiles', 'line-gw.json5');
  const saved = fs.readFileSync(file, 'utf8');
  expect(saved).toContain(`product: '${TOKEN}'`);
  expect(saved).toContain('length: 12,');
  expect(station.profiles.getValid('line-gw').profile.ids.length).toBe(12);

  // Create an order from it.
  await app.goto(app.url().replace(/#.*$/, '') + '#/orders');
  const form = app.getByRole('form', { name: 'New work order' });
  await form.getByLabel('Profile').selectOption('line-gw');
  await form.getByLabel('Quantity').fill('5');
  await form.getByLabel('Order ID (optional)').fill('WO-LINE-GW');
  await form.getByRole('button', { name: 'Create and reserve IDs' }).click();
  await expect(app.getByRole('status').filter({ hasText: 'Done' })).toHaveText('Done: 5 claim IDs reserved.');
  const order = station.orders.getOrder('WO-LINE-GW');
  expect(order).toMatchObject({ profileName: 'line-gw', profileHash: station.profiles.get('line-gw').hash });
  const ids = station.store.db
    .prepare("SELECT claim_id FROM units WHERE order_id = 'WO-LINE-GW'")
    .pluck()
    .all() as string[];
  expect(ids).toHaveLength(5);
  for (const id of ids) expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{12}$/);

  // Editing it again now writes a new version beside it: the order's file stays as it was.
  await app.goto(app.url().replace(/#.*$/, '') + '#/profiles');
  await app
    .getByRole('list', { name: 'Profiles' })
    .getByRole('button', { name: /line-gw/ })
    .click();
  await app.getByRole('button', { name: 'Edit', exact: true }).click();
  await expect(editor.getByText('1 work order uses this profile')).toBeVisible();
  await editor
    .getByRole('textbox', { name: 'Profile text' })
    .locator('.cm-line', { hasText: "model: 'DEMO-1'" })
    .click();
  await app.keyboard.press('End');
  await app.keyboard.press('Backspace');
  await app.keyboard.press('Backspace');
  await app.keyboard.press('Backspace');
  await app.keyboard.type("2',");
  const diff = editor.getByLabel('Changes against the version in use');
  await expect(diff).toContainText("- model: 'DEMO-1',");
  await expect(diff).toContainText("+ model: 'DEMO-2',");
  await editor.getByRole('button', { name: 'Save profile' }).click();
  await expect(editor.getByRole('status')).toContainText(
    'line-gw is used by 1 order(s) and was left as it is.',
  );
  expect(fs.readFileSync(file, 'utf8')).toBe(saved);
  const versions = fs
    .readdirSync(path.join(station.dataDir, 'profiles'))
    .filter((f) => f.startsWith('line-gw-'));
  expect(versions).toHaveLength(1);
  expect(fs.readFileSync(path.join(station.dataDir, 'profiles', versions[0]!), 'utf8')).toContain(
    "model: 'DEMO-2'",
  );
});

test('a serials file picked in Create order gives the order its serials', async ({ app, station }) => {
  await app.goto(app.url().replace(/#.*$/, '') + '#/orders');
  const form = app.getByRole('form', { name: 'New work order' });
  await form.getByLabel('Quantity').fill('3');
  await form.getByLabel('Order ID (optional)').fill('WO-LIST');
  await form.getByLabel('Serials file (optional)').setInputFiles({
    name: 'serials.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from('SN-A1\r\nSN-A2\n\nSN-A3\n'),
  });
  await expect(form.getByTestId('serials-file-summary')).toHaveText(
    '3 serials from serials.txt: SN-A1 … SN-A3',
  );
  await form.getByRole('button', { name: 'Create and reserve IDs' }).click();
  await expect(app.getByRole('status').filter({ hasText: 'Done' })).toHaveText('Done: 3 claim IDs reserved.');
  expect(station.orders.getOrder('WO-LIST').serials).toEqual({
    kind: 'list',
    serials: ['SN-A1', 'SN-A2', 'SN-A3'],
  });
});
