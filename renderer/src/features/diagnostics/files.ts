/** Reading a device's files picked or dropped in the browser, to send their bytes to the station. */

export function toBase64(bytes: Uint8Array): string {
  let text = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) text += String.fromCharCode(...bytes.subarray(i, i + chunk));
  return btoa(text);
}

export interface DatabasePick {
  db: File;
  journal: File | null;
}

/** Finds device.db (and device.db.jnl) among picked files; a lone file is taken as the database. */
export function pickDatabase(files: File[]): DatabasePick | null {
  const db = files.find((f) => f.name === 'device.db') ?? files.find((f) => !f.name.endsWith('.jnl')) ?? null;
  if (!db) return null;
  const journal =
    files.find((f) => f.name === `${db.name}.jnl`) ?? files.find((f) => f.name.endsWith('.jnl')) ?? null;
  return { db, journal };
}

function readEntry(entry: FileSystemEntry, out: File[]): Promise<void> {
  if (entry.isFile)
    return new Promise((resolve) =>
      (entry as FileSystemFileEntry).file(
        (f) => {
          out.push(f);
          resolve();
        },
        () => resolve(),
      ),
    );
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  return new Promise((resolve) => {
    const all: FileSystemEntry[] = [];
    const next = () =>
      reader.readEntries(
        (batch) => {
          if (batch.length === 0) void Promise.all(all.map((e) => readEntry(e, out))).then(() => resolve());
          else {
            all.push(...batch);
            next();
          }
        },
        () => resolve(),
      );
    next();
  });
}

/** Every file in what was dropped, folders walked. */
export async function droppedFiles(transfer: DataTransfer): Promise<File[]> {
  const entries = [...transfer.items]
    .map((item) => item.webkitGetAsEntry?.() ?? null)
    .filter((e): e is FileSystemEntry => e !== null);
  if (entries.length === 0) return [...transfer.files];
  const out: File[] = [];
  await Promise.all(entries.map((e) => readEntry(e, out)));
  return out;
}

export function download(fileName: string, mediaType: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: mediaType }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
