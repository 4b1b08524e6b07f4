import { open, stat } from "node:fs/promises";
import type { GgufFileInfo } from "node-llama-cpp";
import { ModelFileError } from "./model-file-error.js";

/** [elements per block, bytes per block] of the GGML tensor types, by type id. */
const TYPE_SIZES: Record<number, [number, number]> = {
  0: [1, 4],
  1: [1, 2],
  2: [32, 18],
  3: [32, 20],
  6: [32, 22],
  7: [32, 24],
  8: [32, 34],
  9: [32, 36],
  10: [256, 84],
  11: [256, 110],
  12: [256, 144],
  13: [256, 176],
  14: [256, 210],
  15: [256, 292],
  24: [1, 1],
  25: [1, 2],
  26: [1, 4],
  27: [1, 8],
  28: [1, 8],
  30: [1, 2],
};

export interface InspectedModelFile {
  path: string;
  sizeBytes: number;
  fileInfo: GgufFileInfo;
}

/**
 * Checks a model file before llama.cpp sees it, so each bad file gets an error naming it and
 * saying what is wrong: missing, not a file, not GGUF (magic bytes), header unreadable, or
 * truncated (tensor data ending past the end of the file, e.g. an interrupted download).
 */
export async function inspectModelFile(path: string): Promise<InspectedModelFile> {
  let sizeBytes: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new ModelFileError(`model file ${path} is not a regular file`, path);
    sizeBytes = info.size;
  } catch (error) {
    if (error instanceof ModelFileError) throw error;
    throw new ModelFileError(`model file ${path} does not exist or cannot be read (check the "model" path in the config)`, path, {
      cause: error,
    });
  }
  const magic = await readMagic(path);
  if (magic !== "GGUF") {
    throw new ModelFileError(
      `model file ${path} is not a GGUF file (it starts with ${JSON.stringify(magic)} instead of "GGUF"); llama-cpp models must be .gguf files`,
      path,
    );
  }
  const { readGgufFileInfo } = await import("node-llama-cpp");
  let fileInfo: GgufFileInfo;
  try {
    fileInfo = await readGgufFileInfo(path, { logWarnings: false, sourceType: "filesystem" });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ModelFileError(`model file ${path} has an unreadable GGUF header (truncated or corrupt: ${reason})`, path, { cause: error });
  }
  const dataEnd = tensorDataEnd(fileInfo);
  if (dataEnd > sizeBytes) {
    throw new ModelFileError(
      `model file ${path} is truncated: its tensors need ${dataEnd} bytes but the file has ${sizeBytes} (an incomplete download? download it again)`,
      path,
    );
  }
  return { path, sizeBytes, fileInfo };
}

async function readMagic(path: string): Promise<string> {
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.alloc(4);
    const { bytesRead } = await handle.read(buffer, 0, 4, 0);
    return buffer.subarray(0, bytesRead).toString("latin1");
  } finally {
    await handle.close();
  }
}

/** Where the last tensor's data ends, in bytes from the start of the file (0 when unknown). */
export function tensorDataEnd(fileInfo: GgufFileInfo): number {
  let end = 0;
  for (const tensor of fileInfo.fullTensorInfo ?? fileInfo.tensorInfo ?? []) {
    if (tensor.filePart > 1) continue; // split GGUF: later parts are separate files
    const size = TYPE_SIZES[tensor.ggmlType];
    const elements = tensor.dimensions.reduce<number>((product, dimension) => product * Number(dimension), 1);
    const bytes = size === undefined ? 1 : Math.ceil(elements / size[0]) * size[1];
    end = Math.max(end, Number(tensor.fileOffset) + bytes);
  }
  return end;
}
