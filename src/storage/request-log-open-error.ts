/** A request log file that cannot be opened: missing, not SQLite, not rightsize's, too new. */
export class RequestLogOpenError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = "RequestLogOpenError";
  }
}
