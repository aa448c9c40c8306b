// Reading a workflow sheet back (the Excel round trip of the rule editor): each cell as Excel or WPS saved it.
export { readSheet } from "read-excel-file/browser";
