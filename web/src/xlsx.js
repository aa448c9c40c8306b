// Reading a workflow workbook back (the Excel round trip of the rule editor): every sheet with its name, each cell as
// Excel or WPS saved it.
export { default as readWorkbook } from "read-excel-file/browser";
