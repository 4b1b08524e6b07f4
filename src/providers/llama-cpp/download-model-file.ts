import { createWriteStream } from "node:fs";
import { mkdir, rename, stat } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { ModelFileError } from "./model-file-error.js";

export interface DownloadProgress {
  receivedBytes: number;
  /** Undefined when the server sends no length. */
  totalBytes: number | undefined;
  resumedFromBytes: number;
}

export interface DownloadOptions {
  url: string;
  destination: string;
  onProgress?: (progress: DownloadProgress) => void;
  signal?: AbortSignal;
  fetchImpl?: typeof fetch;
}

/**
 * Downloads `url` to `destination` through `<destination>.partial`, resuming an interrupted
 * download with an HTTP Range request, and renames it into place only when complete. When
 * the network cannot be reached the error names the URL and the exact path to put the file at.
 */
export async function downloadModelFile(options: DownloadOptions): Promise<void> {
  const { url, destination } = options;
  const partial = `${destination}.partial`;
  await mkdir(path.dirname(destination), { recursive: true });
  const resumeFrom = await stat(partial).then(
    (info) => info.size,
    () => 0,
  );
  let response: Response;
  try {
    response = await (options.fetchImpl ?? fetch)(url, {
      headers: resumeFrom > 0 ? { range: `bytes=${resumeFrom}-` } : {},
      redirect: "follow",
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    throw offlineError(url, destination, error);
  }
  if (response.status === 416 && resumeFrom > 0) {
    await rename(partial, destination); // the partial file is already complete
    return;
  }
  if (!response.ok || !response.body) {
    throw new ModelFileError(
      `downloading ${url} failed with HTTP ${response.status}; check the hf: reference, or download the file yourself and put it at ${destination}`,
      destination,
    );
  }
  const resumed = response.status === 206 ? resumeFrom : 0;
  const length = Number(response.headers.get("content-length") ?? Number.NaN);
  const totalBytes = Number.isFinite(length) ? resumed + length : undefined;
  let receivedBytes = resumed;
  const body = Readable.fromWeb(response.body as import("node:stream/web").ReadableStream<Uint8Array>);
  body.on("data", (chunk: Buffer) => {
    receivedBytes += chunk.length;
    options.onProgress?.({ receivedBytes, totalBytes, resumedFromBytes: resumed });
  });
  try {
    await pipeline(body, createWriteStream(partial, { flags: resumed > 0 ? "a" : "w" }));
  } catch (error) {
    throw offlineError(url, destination, error);
  }
  if (totalBytes !== undefined && receivedBytes < totalBytes) {
    throw new ModelFileError(`download of ${url} stopped at ${receivedBytes} of ${totalBytes} bytes; run it again to resume`, destination);
  }
  await rename(partial, destination);
}

function offlineError(url: string, destination: string, cause: unknown): ModelFileError {
  const reason = cause instanceof Error ? (cause.cause instanceof Error ? cause.cause.message : cause.message) : String(cause);
  return new ModelFileError(
    `cannot download ${url} (${reason}). Without network access, download that file on another machine and put it at ${destination}`,
    destination,
    { cause, code: "model_download_failed" },
  );
}
