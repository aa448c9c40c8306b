// Bundles the browser libraries into the service's embedded page assets (src/ComplaintDiagnostics.Api/Pages/assets),
// each with its name, version and licence in a leading comment, and writes their licence texts beside them.
// Reproducible: the same lockfile gives the same bytes (.ci/run rebuilds and compares with what is committed).
import { build } from "esbuild";
import { readFileSync, writeFileSync } from "node:fs";

const out = new URL("../src/ComplaintDiagnostics.Api/Pages/assets/", import.meta.url);
const pkg = name => JSON.parse(readFileSync(new URL(`node_modules/${name}/package.json`, import.meta.url)));
const esbuild = pkg("esbuild").version;

// Each bundle names the library it is; the packages its code comes from are read from esbuild's metafile, and their
// licences go to LICENSES.txt.
const bundles = [
  { entry: "src/jsonc.js", file: "jsonc-parser.js", global: "jsonc", library: "jsonc-parser" },
  { entry: "src/charts.js", file: "echarts.js", global: "charts", library: "echarts" },
  { entry: "src/xlsx.js", file: "read-excel-file.js", global: "xlsx", library: "read-excel-file" },
];

const licenceFile = name => ["LICENSE", "LICENSE.md", "LICENSE.txt"].map(f => new URL(`node_modules/${name}/${f}`, import.meta.url))
  .find(url => { try { readFileSync(url); return true; } catch { return false; } });
const licences = [];
for (const { entry, file, global, library } of bundles) {
  const { version, license } = pkg(library);
  const { metafile } = await build({
    metafile: true,
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
  const packages = [...new Set(Object.keys(metafile.inputs).map(path => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path)?.[1]).filter(Boolean))].sort();
  for (const name of packages) {
    const { version: v, license: l } = pkg(name);
    let notice = "";
    try { notice = `\n\nNOTICE:\n${readFileSync(new URL(`node_modules/${name}/NOTICE`, import.meta.url), "utf8").trim()}`; } catch { /* none */ }
    const text = licenceFile(name) ? readFileSync(licenceFile(name), "utf8").trim() : `(no licence file in the package; its package.json says ${l})`;
    licences.push(`${name} ${v} (${l}), in ${file}\n\n${text}${notice}\n`);
  }
}
writeFileSync(new URL("LICENSES.txt", out), "Third-party code in this folder, as bundled by web/build.mjs.\n\n" + licences.join("\n----\n\n"));
console.log(`built ${bundles.map(b => b.file).join(", ")}`);
