/** One CSV record: its cells and the line it starts on (1-based). */
export interface CsvRecord {
  line: number;
  cells: string[];
}

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
    this.name = "CsvSyntaxError";
  }
}

/**
 * RFC 4180 CSV: comma-separated, fields optionally in double quotes (a quoted field may hold
 * commas, newlines and `""` for a quote), CRLF or LF line ends. Blank lines are skipped.
 */
export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let line = 1;
  let cells: string[] = [];
  let cell = "";
  let quoted = false;
  let start = 1;
  let touched = false;
  const endCell = () => {
    cells.push(cell);
    cell = "";
  };
  const endRecord = () => {
    endCell();
    if (touched || cells.length > 1 || cells[0] !== "") records.push({ line: start, cells });
    cells = [];
    touched = false;
  };
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  for (let i = 0; i < body.length; i++) {
    const char = body[i] as string;
    if (quoted) {
      if (char === '"') {
        if (body[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else {
        if (char === "\n") line++;
        cell += char;
      }
      continue;
    }
    if (char === '"') {
      if (cell !== "") throw new CsvSyntaxError(line, 'a quote inside an unquoted field (quote the whole field, and double the quote: "")');
      quoted = true;
      touched = true;
    } else if (char === ",") {
      endCell();
      touched = true;
    } else if (char === "\n" || char === "\r") {
      if (char === "\r" && body[i + 1] === "\n") i++;
      endRecord();
      line++;
      start = line;
    } else {
      if (cells.length === 0 && cell === "") start = line;
      cell += char;
    }
  }
  if (quoted) throw new CsvSyntaxError(start, "a quoted field is not closed");
  endRecord();
  return records;
}
