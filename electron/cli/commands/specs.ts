/**
 * What the CLI knows about each command before running it: the words that select it, the summary
 * and usage `--help` prints, and its options. Kept apart from the commands' implementations, so
 * parsing a command line imports none of them (electron/cli/commands/index.ts loads the one that
 * runs). Each implementation module spreads its spec into its Command.
 */
import type { CommandSpec } from '../command';

export const PASSPHRASE_HELP = 'The CA passphrase comes from --passphrase-file F or LINESIDE_CA_PASSPHRASE.';
export const passphraseOption = { 'passphrase-file': { type: 'string' } } as const;

export const PORT_NOTE =
  "--port: the unit's Store over its serial console (shell, read-only: the agent's db tool when present, else db/device.db + .jnl fetched; --device-dir defaults to /opt/ioto/state; --method auto|files|db-tool; --user U with the password from --password-file F or LINESIDE_SHELL_PASSWORD when the console asks to log in) or the framed protocol (STORE commands; --device-dir defaults to the unit's root).";

const sourceOptions = {
  db: { type: 'string' },
  jnl: { type: 'string' },
  mqtt: { type: 'string' },
  'claim-id': { type: 'string' },
  cert: { type: 'string' },
  key: { type: 'string' },
  ca: { type: 'string' },
  timeout: { type: 'string' },
  port: { type: 'string' },
  transport: { type: 'string' },
  'device-dir': { type: 'string' },
  baud: { type: 'string' },
  method: { type: 'string' },
  user: { type: 'string' },
  'password-file': { type: 'string' },
} as const;

const MQTT_NOTE =
  '--mqtt: an idle device sends only its unsynced changes when it connects (its whole Store only when started with --sync up or right after provisioning); --ask KEY makes it report that Store key now (ask only for keys it has: a missing key is created empty for a moment and removed again).';

const sourceUsage =
  '--db PATH [--jnl PATH] | --mqtt URL --claim-id ID [--cert PEM --key PEM] [--ca PEM] [--timeout S] | --port PATH --transport shell|framed [--device-dir D] [--baud N]';

export const caStatus = {
  name: 'ca status',
  summary: 'The factory CA: subject, fingerprint, expiry, lock state',
} satisfies CommandSpec;

export const caCreate = {
  name: 'ca create',
  summary: 'Create the factory CA (key stored encrypted with the passphrase)',
  usage: `--cn NAME [--org O] [--key-type ec-p256|rsa2048|rsa3072] [--days N] [--replace]. ${PASSPHRASE_HELP}`,
  options: {
    cn: { type: 'string' },
    org: { type: 'string' },
    'key-type': { type: 'string' },
    days: { type: 'string' },
    replace: { type: 'boolean' },
    ...passphraseOption,
  },
} satisfies CommandSpec;

export const caImport = {
  name: 'ca import',
  summary: 'Import an existing CA from PEM (--cert, --key) or PKCS#12 (--p12)',
  usage: `(--cert F --key F [--key-password-file F] | --p12 F [--p12-password-file F]) [--replace]. ${PASSPHRASE_HELP}`,
  options: {
    cert: { type: 'string' },
    key: { type: 'string' },
    'key-password-file': { type: 'string' },
    p12: { type: 'string' },
    'p12-password-file': { type: 'string' },
    replace: { type: 'boolean' },
    ...passphraseOption,
  },
} satisfies CommandSpec;

export const call = {
  name: 'call',
  summary: 'Call any API operation with a JSON argument (prints the Result as JSON)',
  usage: '<operation> [json-argument]',
} satisfies CommandSpec;

export const certsIssue = {
  name: 'certs issue',
  summary: 'Issue a unit certificate: writes ioto.crt (+ ioto.key, mode 0600) to --out',
  usage:
    '<claim-id> --out DIR [--csr FILE] [--key-type ec-p256|rsa2048|rsa3072] [--days N] [--org O] [--ou OU] [--escrow] [--passphrase-file F]',
  options: {
    out: { type: 'string' },
    csr: { type: 'string' },
    'key-type': { type: 'string' },
    days: { type: 'string' },
    org: { type: 'string' },
    ou: { type: 'string' },
    escrow: { type: 'boolean' },
    ...passphraseOption,
  },
} satisfies CommandSpec;

export const certsRevoke = {
  name: 'certs revoke',
  summary: "Revoke a unit's certificate (then publish a CRL with `certs crl`)",
  usage:
    '<claim-id> [--serial S] [--reason keyCompromise|superseded|cessationOfOperation|affiliationChanged]',
  options: { serial: { type: 'string' }, reason: { type: 'string' } },
} satisfies CommandSpec;

export const certsCrl = {
  name: 'certs crl',
  summary: 'A CRL signed by the factory CA (PEM to --out or stdout)',
  usage: '[--out FILE] [--days N] [--passphrase-file F]',
  options: { out: { type: 'string' }, days: { type: 'string' }, ...passphraseOption },
} satisfies CommandSpec;

export const certsList = {
  name: 'certs list',
  summary: 'Issued certificates, newest first (--export csv|json for the full list)',
  usage: '[--claim-id ID] [--limit N] [--export csv|json] [--out FILE]',
  options: {
    'claim-id': { type: 'string' },
    limit: { type: 'string' },
    export: { type: 'string' },
    out: { type: 'string' },
  },
} satisfies CommandSpec;

export const cloudStatus = {
  name: 'cloud status',
  summary: 'Registration outbox counts and the units that failed, with their reasons',
} satisfies CommandSpec;

export const cloudPush = {
  name: 'cloud push',
  summary: 'Send the queued registrations now, until none is left (or --wait seconds pass)',
  usage: '[--wait SECONDS]',
  options: { wait: { type: 'string' } },
} satisfies CommandSpec;

export const cloudRetry = {
  name: 'cloud retry',
  summary: 'Queue rejected (or waiting) units again, e.g. after fixing the product token',
  usage: '[claim-id...]',
} satisfies CommandSpec;

export const cloudReport = {
  name: 'cloud report',
  summary: "An order's reconciliation report: registered / claimed / rejected (with reason) / pending",
  usage: '--order ID [--format csv|json] [--out FILE]',
  options: { order: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' } },
} satisfies CommandSpec;

export const cloudToken = {
  name: 'cloud token add',
  summary: 'Store a product token (read from standard input, never from the command line)',
  usage: '--label NAME  < token.txt',
  options: { label: { type: 'string' } },
} satisfies CommandSpec;

export const cloudTokens = {
  name: 'cloud token list',
  summary: 'Stored product tokens: name, reference and fingerprint (never the token)',
} satisfies CommandSpec;

export const configRender = {
  name: 'config render',
  summary: "A unit's device.json5, from its order's profile version",
  usage:
    "--order ID --id CLAIM-ID [--serial S] [--created ISO-TIME] [--out FILE]\n  A reserved unit has no serial yet: {{serial}} is filled with --serial, else with the order's next serial (a preview: nothing is assigned).",
  options: {
    order: { type: 'string' },
    id: { type: 'string' },
    serial: { type: 'string' },
    created: { type: 'string' },
    out: { type: 'string' },
  },
} satisfies CommandSpec;

export const espImage = {
  name: 'esp image',
  summary: "Build an ESP32 unit's LittleFS state image (its storage partition) without touching the unit",
  usage: '--order O --claim-id ID --out FILE [--partition-size BYTES]',
  options: {
    order: { type: 'string' },
    'claim-id': { type: 'string' },
    out: { type: 'string' },
    'partition-size': { type: 'string' },
  },
} satisfies CommandSpec;

export const espReadStore = {
  name: 'esp read-store',
  summary: "Read an ESP32 unit's storage partition through its bootloader: identity files and Store",
  usage: '--port P [--reset classic|usb-jtag|none] [--baud 921600] [--label storage]',
  options: {
    port: { type: 'string' },
    reset: { type: 'string' },
    baud: { type: 'string' },
    label: { type: 'string' },
  },
} satisfies CommandSpec;

export const idsReserve = {
  name: 'ids reserve',
  summary: "Reserve claim IDs: finish an order's reservation, or a new order of N for a profile",
  usage: '--order ID | --profile NAME --count N [--order ID]',
  options: { order: { type: 'string' }, profile: { type: 'string' }, count: { type: 'string' } },
} satisfies CommandSpec;

export const info = {
  name: 'info',
  summary: 'Versions, data directory and database of this station',
} satisfies CommandSpec;

export const labelsTemplates = {
  name: 'labels templates',
  summary: 'Label templates on this station (and the ones that do not load)',
} satisfies CommandSpec;

export const labelsRender = {
  name: 'labels render',
  summary: 'Save the labels of an order or of units as ZPL, PDF or PNG files (not a print)',
  usage:
    '(--order ID | --unit CLAIM-ID...) [--format zpl|pdf|png] [--sheet label|A4|Letter] [--out DIR] [--template NAME]',
  options: {
    order: { type: 'string' },
    unit: { type: 'string', multiple: true },
    format: { type: 'string' },
    out: { type: 'string' },
    template: { type: 'string' },
    sheet: { type: 'string' },
  },
} satisfies CommandSpec;

export const labelsPrint = {
  name: 'labels print',
  summary: 'Print the labels of an order (resumes where a failed batch stopped) or of one unit',
  usage: '(--order ID | --unit CLAIM-ID) [--format zpl|pdf|png --out DIR]',
  options: {
    order: { type: 'string' },
    unit: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string' },
  },
} satisfies CommandSpec;

export const labelsReprint = {
  name: 'labels reprint',
  summary: "Print a unit's label again (recorded with the reason)",
  usage: '<claim-id> --reason "why"',
  options: { reason: { type: 'string' } },
} satisfies CommandSpec;

export const labelsHistory = {
  name: 'labels history',
  summary: 'Label prints and reprints, newest first',
  usage: '[--order ID | --unit CLAIM-ID] [--limit N]',
  options: { order: { type: 'string' }, unit: { type: 'string' }, limit: { type: 'string' } },
} satisfies CommandSpec;

export const labelsPrinter = {
  name: 'labels printer',
  summary: 'Show or set the label printer',
  usage: '[--zpl HOST:PORT | --system NAME [--server HOST:PORT] | --files DIR --format zpl|pdf|png]',
  options: {
    zpl: { type: 'string' },
    system: { type: 'string' },
    server: { type: 'string' },
    files: { type: 'string' },
    format: { type: 'string' },
  },
} satisfies CommandSpec;

export const labelsTest = {
  name: 'labels test',
  summary: 'Print a test label on the label printer',
} satisfies CommandSpec;

export const lineStatus = {
  name: 'line status',
  summary: 'Line mode: connected / offline since ... / catching up N events, leases left',
} satisfies CommandSpec;

export const lineConnect = {
  name: 'line connect',
  summary: "Put this station on a line: the line's PostgreSQL URL (kept encrypted at rest)",
  usage: '--url postgres://user:password@host:5432/database[?sslmode=require]',
  options: { url: { type: 'string' } },
} satisfies CommandSpec;

export const lineDisconnect = {
  name: 'line disconnect',
  summary: 'Take this station off the line (it works alone again)',
} satisfies CommandSpec;

export const lineSettings = {
  name: 'line settings',
  summary: 'How many claim IDs a lease takes, and the low-water mark that refills it',
  usage: '--block-size N --low-water M',
  options: { 'block-size': { type: 'string' }, 'low-water': { type: 'string' } },
} satisfies CommandSpec;

export const lineReport = {
  name: 'line report',
  summary:
    'An order across the line: per station and slot passed/failed, yield, failures, IDs leased/used/left',
  usage: '--order ID [--format csv|json] [--out FILE]',
  options: { order: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' } },
} satisfies CommandSpec;

export const lineLeases = {
  name: 'line leases',
  summary: 'Blocks of claim IDs leased to stations: station, time, used and left',
  usage: '[--order ID]',
  options: { order: { type: 'string' } },
} satisfies CommandSpec;

export const lineReturn = {
  name: 'line lease return',
  summary: "Put a dead station's unused leased IDs back in the order's pool (--force if it was seen lately)",
  usage: '<lease-id> [--force]',
  options: { force: { type: 'boolean' } },
} satisfies CommandSpec;

export const lineVoid = {
  name: 'line lease void',
  summary: "Void a lease's unused IDs: nobody will ever use them (safe if the station comes back)",
  usage: '<lease-id>',
} satisfies CommandSpec;

export const ordersCreate = {
  name: 'orders create',
  summary: 'Create a work order and reserve its claim IDs',
  usage:
    '--profile NAME --quantity N [--order ID] [--serial-prefix P --serial-start N --serial-width W | --serials-file F] [--note TEXT]',
  options: {
    profile: { type: 'string' },
    quantity: { type: 'string' },
    order: { type: 'string' },
    'serial-prefix': { type: 'string' },
    'serial-start': { type: 'string' },
    'serial-width': { type: 'string' },
    'serials-file': { type: 'string' },
    note: { type: 'string' },
  },
} satisfies CommandSpec;

export const ordersList = {
  name: 'orders list',
  summary: 'Work orders with their counts per state',
} satisfies CommandSpec;

export const ordersExport = {
  name: 'orders export',
  summary: "An order's manifest (claim ID, serial, state, times, profile hash) as CSV or JSON",
  usage: '<order> [--format csv|json] [--out FILE]',
  options: { format: { type: 'string' }, out: { type: 'string' } },
} satisfies CommandSpec;

export const ordersVoid = {
  name: 'orders void',
  summary: 'Void a claim ID that will not ship (scrap, test, label-damaged)',
  usage: '<claim-id> --reason scrap|test|label-damaged [--note TEXT]',
  options: { reason: { type: 'string' }, note: { type: 'string' } },
} satisfies CommandSpec;

export const ordersActive = {
  name: 'orders active',
  summary: 'Show, set (lock in) or clear the active work order of this station',
  usage: '[order | --clear]',
  options: { clear: { type: 'boolean' } },
} satisfies CommandSpec;

export const ports = {
  name: 'ports',
  summary: 'Serial ports (VID:PID, serial, USB location) and the fixture slots',
} satisfies CommandSpec;

export const profilesCheck = {
  name: 'profiles check',
  summary: 'Validate a profile file, or every profile of this station',
  usage: '[file]',
} satisfies CommandSpec;

export const provision = {
  name: 'provision',
  summary: 'Write, read back and verify one unit in a slot (JSON report on stdout)',
  usage:
    '--order ORDER --port PATH [--slot N] [--serial S] [--rework CLAIM-ID] | --resume CLAIM-ID [--port PATH] [--slot N]  [--passphrase-file F]',
  options: {
    order: { type: 'string' },
    port: { type: 'string' },
    slot: { type: 'string' },
    serial: { type: 'string' },
    resume: { type: 'string' },
    /** The engineer's explicit "Rework unit X": the only way a verified unit is written again. */
    rework: { type: 'string' },
    ...passphraseOption,
  },
} satisfies CommandSpec;

export const serializeServe = {
  name: 'serialize serve',
  summary: "Serve claim IDs to agents in factory mode from an order's reserved IDs (until Ctrl+C)",
  usage: '--order ID --product-ref REF [--host H] [--port P] [--path /serialize] [--allow CIDR,CIDR]',
  options: {
    order: { type: 'string' },
    'product-ref': { type: 'string' },
    host: { type: 'string' },
    port: { type: 'string' },
    path: { type: 'string' },
    allow: { type: 'string' },
  },
} satisfies CommandSpec;

export const serve = {
  name: 'serve',
  summary: 'Browser mode: serve the app and API on loopback (prints the URL)',
  usage: '[--host H] [--port P] [--open]',
  options: { host: { type: 'string' }, port: { type: 'string' }, open: { type: 'boolean' } },
} satisfies CommandSpec;

export const start = {
  name: 'start',
  summary: 'Open the station window, or browser mode when Electron cannot run here',
  usage: '[--browser]',
  options: { browser: { type: 'boolean' } },
} satisfies CommandSpec;

export const storeDump = {
  name: 'store dump',
  summary:
    "Print a device's local store: a copied device.db (+ .jnl), over MQTT as its cloud, or over a serial port",
  usage: `${sourceUsage} [--ask KEY ...] [--model M] [--format text|json|csv] [--settle S]\n  ${PORT_NOTE}\n  ${MQTT_NOTE}`,
  options: {
    ...sourceOptions,
    ask: { type: 'string', multiple: true },
    model: { type: 'string' },
    format: { type: 'string' },
    settle: { type: 'string' },
  },
} satisfies CommandSpec;

export const storeSet = {
  name: 'store set',
  summary:
    "Set a value in a device's Store over MQTT (as its cloud) or the framed protocol; recorded in the event log",
  usage:
    '(--mqtt URL --claim-id ID [--cert --key --ca] | --port PATH --transport framed) <key> <value> [--type string|number|boolean|object]',
  options: { ...sourceOptions, type: { type: 'string' } },
} satisfies CommandSpec;

export const claimId = {
  name: 'evaluator claim-id',
  summary:
    "Watch a dev board's console for its claim ID (or ask it over the framed protocol) and print it with the claim link",
  usage:
    "--port PATH [--baud N] [--timeout S] [--ask-after S] [--framed]\n  A board that prints no claim ID line within --ask-after seconds (default 4; 0 = never) gets a bare Enter on its console; with --framed (the board speaks Lineside's framed protocol) it is asked over that instead. No binary probe is ever sent to a console: its 0x03 is Ctrl-C and would kill the agent.",
  options: {
    port: { type: 'string' },
    baud: { type: 'string' },
    timeout: { type: 'string' },
    'ask-after': { type: 'string' },
    framed: { type: 'boolean' },
  },
} satisfies CommandSpec;

export const unitsList = {
  name: 'units list',
  summary: 'List units, optionally by claim-ID prefix',
  usage: '[--prefix P] [--limit N] [--cursor C]',
  options: { prefix: { type: 'string' }, limit: { type: 'string' }, cursor: { type: 'string' } },
} satisfies CommandSpec;

export const unitsGet = {
  name: 'units get',
  summary: 'A unit and its history',
  usage: '<claim-id>',
} satisfies CommandSpec;
