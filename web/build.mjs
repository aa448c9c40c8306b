// Bundles the browser libraries into the service's embedded page assets (src/ComplaintDiagnostics.Api/Pages/assets),
// each with its name, version and licence in a leading comment, and writes their licence texts beside them.
// Reproducible: the same lockfile gives the same bytes (.ci/run rebuilds and compares with what is committed).
import { build } from "esbuild";
import { readFileSync, writeFileSync } from "node:fs";

const out = new URL("../src/ComplaintDiagnostics.Api/Pages/assets/", import.meta.url);
const pkg = name => JSON.parse(readFileSync(new URL(`node_modules/${name}/package.json`, import.meta.url)));
const esbuild = pkg("esbuild").version;

const bundles = [
  { entry: "src/jsonc.js", file: "jsonc-parser.js", global: "jsonc", library: "jsonc-parser" },
];

const licences = [];
for (const { entry, file, global, library } of bundles) {
  const { version, license } = pkg(library);
  await build({
    entryPoints: [entry],
    outfile: new URL(file, out).pathname,
    bundle: true,
    minify: true,
    format: "iife",
    globalName: global,
    target: "es2020",
    legalComments: "none",
    banner: { js: `/*! ${library} ${version} (${license}; licence text in LICENSES.txt), bundled by web/build.mjs with esbuild ${esbuild} */` },
  });
  licences.push(`${library} ${version} (${license})\n\n${readFileSync(new URL(`node_modules/${library}/LICENSE.md`, import.meta.url), "utf8").trim()}\n`);
}
writeFileSync(new URL("LICENSES.txt", out), "Third-party code in this folder, as bundled by web/build.mjs.\n\n" + licences.join("\n----\n\n"));
console.log(`built ${bundles.map(b => b.file).join(", ")}`);
