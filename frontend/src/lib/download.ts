// Saving a file the page made: the native save dialog in the desktop, a download in a browser.
import { isTauri, saveWithDialog } from "./tauri";

/**
 * Save `contents` as `name`: in the desktop through the native save dialog (the user picks where),
 * in a browser as a download. Answers where it went, as a sentence for the page, or `null` when the
 * user cancelled the dialog.
 */
export async function saveFile(name: string, contents: Blob): Promise<string | null> {
  if (isTauri()) {
    const path = await saveWithDialog(name, new Uint8Array(await contents.arrayBuffer()));
    return path === null ? null : `Saved to ${path}.`;
  }
  const url = URL.createObjectURL(contents);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return `Downloaded ${name}.`;
}

/** A text file's contents, for `saveFile`. */
export function textFile(text: string, type = "text/plain;charset=utf-8"): Blob {
  return new Blob([text], { type });
}

/**
 * The file name a download's `Content-Disposition` suggests (`attachment; filename="DEV-00001.pdf"`),
 * or `fallback` when there is none or the page may not read it: a cross-origin page reads only
 * the headers the server lists in `Access-Control-Expose-Headers`.
 */
export function attachmentName(headers: Pick<Headers, "get">, fallback: string): string {
  const disposition = headers.get("content-disposition") ?? "";
  const quoted = /filename="([^"]+)"/i.exec(disposition)?.[1];
  const bare = /filename=([^;\s"]+)/i.exec(disposition)?.[1];
  const name = (quoted ?? bare ?? "").replace(/[\\/]/g, "_").trim();
  return name || fallback;
}
