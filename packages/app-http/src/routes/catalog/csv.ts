/**
 * RFC 4180 CSV: fields separated by commas, optionally in double quotes (a quote inside is
 * doubled; a quoted field may hold commas and line breaks), records by CRLF or LF. The first
 * record names the columns; blank lines are skipped. The input is already bounded by the
 * request schema, so this reads it whole.
 */
export interface CsvTable {
  readonly header: readonly string[];
  /** Each record with its 1-based line number in the text (the header is line 1). */
  readonly rows: readonly { readonly line: number; readonly fields: readonly string[] }[];
}

export class CsvError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`${message} (line ${line})`);
  }
}

export function parseCsv(text: string): CsvTable {
  const records: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // a spreadsheet's byte-order mark
  const endRecord = () => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === '')) records.push({ line: recordLine, fields });
    fields = [];
    field = '';
  };
  for (; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
      continue;
    }
    if (c === '"') {
      if (field !== '') throw new CsvError('a quote inside an unquoted field', line);
      quoted = true;
    } else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      field += c;
    }
  }
  if (quoted) throw new CsvError('a quoted field is not closed', recordLine);
  if (field !== '' || fields.length > 0) endRecord();
  const [head, ...rows] = records;
  if (!head) throw new CsvError('no header', 1);
  return { header: head.fields.map((h) => h.trim().toLowerCase()), rows };
}

/** A row as column → value (trimmed); a row with another number of fields than the header is refused. */
export function rowObject(header: readonly string[], row: { line: number; fields: readonly string[] }) {
  if (row.fields.length !== header.length) {
    throw new CsvError(`${row.fields.length} fields where the header has ${header.length}`, row.line);
  }
  return Object.fromEntries(header.map((h, i) => [h, (row.fields[i] ?? '').trim()])) as Record<string, string>;
}
