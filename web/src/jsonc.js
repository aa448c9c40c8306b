// The parts of jsonc-parser the rule editor uses: rule files are JSON with comments, and an edit made in the browser
// changes only the value edited, keeping every comment and the file's layout (jsonc-parser's modify).
export { parse, parseTree, findNodeAtLocation, findNodeAtOffset, getNodePath, getNodeValue, modify, applyEdits, printParseErrorCode } from "jsonc-parser";
