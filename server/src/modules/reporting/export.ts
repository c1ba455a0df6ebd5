import ExcelJS from 'exceljs';
import { stringify } from 'csv-stringify/sync';

/** Tables for spreadsheets: CSV (UTF-8, comma) and XLSX with a header row and a named sheet. */
export interface Table {
  title: string;
  columns: string[];
  rows: (string | number)[][];
}

export function toCsv(table: Table): string {
  return stringify(table.rows, { header: true, columns: table.columns });
}

export async function toXlsx(table: Table): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'MigraFlow';
  const sheet = workbook.addWorksheet(table.title.slice(0, 31));
  sheet.addRow(table.columns).font = { bold: true };
  for (const row of table.rows) sheet.addRow(row);
  sheet.columns.forEach((column) => {
    column.width = 28;
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
