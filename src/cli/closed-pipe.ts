let installed = false;
let keepRunning = false;

/**
 * A reader that stops early (`rightsize logs | head -1`) closes the pipe under stdout: the
 * command stops and exits 0 without a stack trace. Any other output error is still thrown.
 */
export function exitQuietlyOnClosedPipe(): void {
  if (installed) return;
  installed = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE") throw error;
      if (!keepRunning) process.exit(0);
    });
  }
}

/** For `serve`: a closed output pipe drops the output; the gateway keeps answering. */
export function keepRunningOnClosedPipe(): void {
  keepRunning = true;
}
